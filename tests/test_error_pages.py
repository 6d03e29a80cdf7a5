"""Styled error pages in both languages (DEBUG off, as in production)."""
import pytest
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.parametrize("language, title", [("tr", "Sayfa bulunamadı"), ("en", "Page not found")])
def test_the_404_page_is_styled_and_in_the_visitors_language(client, settings, language, title):
    settings.DEBUG = False
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 404 and title in body and f'<html lang="{language}">' in body and "portal.css" in body
    assert ("Back to the home page" in body) == (language == "en")


@pytest.mark.parametrize("language, title", [("tr", "Bir şeyler ters gitti"), ("en", "Something went wrong")])
def test_the_500_page_is_styled_and_in_the_visitors_language(settings, language, title):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.test_error_pages"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 500 and title in body and f'<html lang="{language}">' in body and "portal.css" in body
    assert "Traceback" not in body and "boom" not in body
