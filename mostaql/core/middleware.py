import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class LanguageCookieMiddleware:
    """Arabic for everyone unless the person chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so most visitors with an
    English-language browser would never see the Arabic site; here the choice lives only in the
    language cookie (set by the switcher), and the address is the same in every language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy from settings on every response that has none yet."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


def _plain_refusal(request, status: int, code: str, message: str) -> HttpResponse:
    """A refusal at the door, before sessions and templates: JSON for the API, plain text elsewhere.

    The JSON has the API's error shape (`mostaql.api.errors`), written here: core sits below the API.
    """
    if request.path.startswith("/api/"):
        body = {"code": code, "message": message}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestBodyLimitMiddleware:
    """Refuses, on every path, a body larger than REQUEST_MAX_BODY_BYTES before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts only form fields, not multipart files, which Django
    streams to a temporary file of any size: so the declared length is checked first (413). A body
    without a declared length (chunked transfer) is refused as well (411): Django would read it as
    empty, and nginx in front always declares the length of what it forwards.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        limit = settings.REQUEST_MAX_BODY_BYTES
        if not declared and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return _plain_refusal(request, 411, "length_required", _("Send the length of the request body."))
        try:
            length = int(declared) if declared else 0
        except ValueError:
            return _plain_refusal(
                request, 400, "bad_request", _("The request's Content-Length is not a number.")
            )
        if length > limit:
            message = _("The request is too large (at most %(size)s MB).") % {"size": limit // (1024 * 1024)}
            response = _plain_refusal(request, 413, "body_too_large", message)
            response["Connection"] = "close"  # do not read the rest to keep the connection
            return response
        return self.get_response(request)


# C0 control characters other than tab, line feed and carriage return, and DEL. NUL in particular:
# PostgreSQL refuses it in text, so it would otherwise end as a server error deep in a query.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL_CHARACTERS.search(text))


class ControlCharactersMiddleware:
    """Refuses with a 400 a NUL (or other control character) in the path, the query or a form field.

    Every view then gets clean text for its filters, slugs, `next` and form fields. The API is left
    to check its own input: it answers a NUL in a parameter or field with a 422 that names it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._is_dirty(request):
            return _plain_refusal(
                request, 400, "invalid_characters", _("The request contains characters that are not allowed.")
            )
        return self.get_response(request)

    def _is_dirty(self, request) -> bool:
        if request.path.startswith("/api/"):
            # The API validates its own input and answers a 422 that names the field, as its schema
            # documents; it may need the raw body afterwards (idempotency fingerprints).
            return False
        if has_control_characters(request.path) or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any(
            has_control_characters(key) or has_control_characters(value) for key, value in _pairs(request.GET)
        ):
            return True
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in _FORM_TYPES:
            if any(
                has_control_characters(key) or has_control_characters(value)
                for key, value in _pairs(request.POST)
            ):
                return True
            return any(has_control_characters(upload.name or "") for upload in request.FILES.values())
        return False


def _pairs(query_dict):
    for key, values in query_dict.lists():
        for value in values:
            yield key, value
