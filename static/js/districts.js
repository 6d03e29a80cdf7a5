// Fills each district list from the chosen city (data from the page's JSON block; no inline script, CSP).
(function () {
  var data = JSON.parse(document.getElementById("districts-data").textContent);
  function fill(row) {
    var city = document.querySelector('.city-select[data-row="' + row + '"]');
    var list = document.querySelector('.district-select[data-row="' + row + '"]');
    var selected = (list.dataset.selected || "").split("|");
    list.innerHTML = "";
    (data[city.value] || []).forEach(function (name) {
      var option = document.createElement("option");
      option.value = name; option.textContent = name; option.selected = selected.indexOf(name) >= 0;
      list.appendChild(option);
    });
  }
  document.querySelectorAll(".city-select").forEach(function (city) {
    fill(city.dataset.row);
    city.addEventListener("change", function () { fill(city.dataset.row); });
  });
})();
