"""Small middlewares of the whole portal: NUL bytes refused, Permissions-Policy on every response."""
from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotFound


class RefuseNulBytesMiddleware:
    """Refuse requests whose path or query holds a NUL byte before any view sees them.

    No URL of the portal contains one, and PostgreSQL cannot compare text with it, so a lookup such
    as /office/calls/%00/ would end in a database error (HTTP 500) instead of "not found".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseNotFound()
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest()
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response; style attributes allowed on the admin's pages only.

    Django's admin templates (and django-import-export's) carry a few `style="..."` attributes;
    the portal's own templates have none, so only /admin/ gets `style-src 'unsafe-inline'`.
    Scripts stay 'self' everywhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path.startswith("/admin/"):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response
