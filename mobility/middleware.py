"""Refuse requests whose path or query holds a NUL byte before any view sees them.

No URL of the portal contains one, and PostgreSQL cannot compare text with it, so a lookup such
as /office/calls/%00/ would end in a database error (HTTP 500) instead of "not found".
"""
from django.http import HttpResponseBadRequest, HttpResponseNotFound


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseNotFound()
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest()
        return self.get_response(request)
