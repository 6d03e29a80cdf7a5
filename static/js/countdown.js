// Counts down to the letter deadline; the server enforces it, this only shows it.
(function () {
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function tick() {
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
      var left = Math.max(0, Math.floor((new Date(el.dataset.deadline) - new Date()) / 1000));
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      el.textContent = (d ? d + " " + (el.dataset.days || "") + " " : "") + pad(h) + ":" + pad(m) + ":" + pad(s);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
})();
