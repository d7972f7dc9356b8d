"""Tells search engines which pages to leave out of their index.

Private areas (staff pages, the wallet, messages, settings, contracts…) answer with an
`X-Robots-Tag: noindex, nofollow` header and a robots meta tag; search results and filtered lists
beyond the plain first page are `noindex, follow` (the items they link to are indexed on their own
pages). A view may set `request.robots` itself (a draft guide does).
"""

PRIVATE_PREFIXES = (
    "/staff/", "/admin/", "/wallet/", "/messages/", "/settings/", "/dashboard/", "/contracts/",
    "/notifications/", "/accounts/", "/reports/", "/report/", "/api/", "/i18n/",
    "/help/contact/",
)  # fmt: skip
LISTS = ("/projects/", "/services/", "/freelancers/", "/help/")
NOINDEX = "noindex, nofollow"
NOINDEX_FOLLOW = "noindex, follow"


def robots_for(path: str, query: dict) -> str:
    if path.startswith(PRIVATE_PREFIXES) or path.endswith(("/edit/", "/new/", "/offer/", "/order/")):
        return NOINDEX
    if path in LISTS and any(value for key, value in query.items()):
        return NOINDEX_FOLLOW
    return ""


class RobotsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.robots = robots_for(request.path, request.GET)
        response = self.get_response(request)
        robots = getattr(request, "robots", "")
        if robots:
            response.headers.setdefault("X-Robots-Tag", robots)
        return response
