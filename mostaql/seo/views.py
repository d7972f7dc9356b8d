from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Private areas and endless variants of lists: nothing there for a search engine.
DISALLOWED = [
    "/staff/", "/admin/", "/wallet/", "/messages/", "/settings/", "/dashboard/", "/contracts/",
    "/notifications/", "/accounts/", "/reports/", "/report/", "/api/", "/i18n/", "/help/contact/",
    "/projects/new/", "/offers/", "/projects/*/attachments/", "/*?*page=",
]  # fmt: skip


@require_GET
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /", ""]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('seo:sitemap_index')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
