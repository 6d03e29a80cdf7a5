"""turkish_time gives the text the mails gave with Django's date filter in Turkish time."""
import datetime as dt

import pytest
from django.template import engines
from django.utils import translation

from mobility.templatetags.turkish_time import turkish_time

DJANGO = engines["django"].from_string('{% load tz %}{% timezone "Europe/Istanbul" %}{{ value|date:"j F Y H:i" }}{% endtimezone %}')


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("value", [
    dt.datetime(2025, 3, 15, 13, 0, tzinfo=dt.UTC),   # 16:00 in Turkey
    dt.datetime(2015, 7, 1, 21, 30, tzinfo=dt.UTC),   # summer time then: 00:30 the next day
    dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC),
])
def test_the_same_text_as_the_date_filter_in_turkish_time(language, value):
    with translation.override(language):
        assert turkish_time(value) == DJANGO.render({"value": value})


def test_each_language_gets_its_own_month_names_from_the_cache():
    value = dt.datetime(2025, 3, 15, 13, 0, tzinfo=dt.UTC)
    with translation.override("tr"):
        assert turkish_time(value) == "15 Mart 2025 16:00"
    with translation.override("en"):
        assert turkish_time(value) == "15 March 2025 16:00"
    with translation.override("tr"):
        assert turkish_time(value) == "15 Mart 2025 16:00"


@pytest.mark.parametrize("value", [None, "", "2025-03-15"])
def test_no_instant_no_text(value):
    assert turkish_time(value) == ""
