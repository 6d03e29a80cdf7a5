"""A signed-in user's language is kept on their profile, not guessed from each request's browser header."""
from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    """After LocaleMiddleware and authentication: the profile's language wins for signed-in users."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in _LANGUAGES:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


@require_POST
def language_set(request):
    """Django's set_language, and for a signed-in user the choice is saved on the profile."""
    response = set_language(request)
    code = request.POST.get("language")
    user = request.user
    if user.is_authenticated and code in _LANGUAGES and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return response
