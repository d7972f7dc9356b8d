from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from mostaql.api.api import api
from mostaql.core.views import fixed_response
from mostaql.dashboard.views import dashboard
from mostaql.web.views import home

# The admin signs in through the one login page, with its rate limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Mostaql administration")
admin.site.site_title = _("Mostaql")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("dashboard/", dashboard, name="dashboard"),
    path("", include("mostaql.accounts.urls")),
    path("", include("mostaql.projects.urls")),
    path("", include("mostaql.gigs.urls")),
    # Before contracts: /contracts/<id>/review/ would otherwise match the contract action pattern.
    path("", include("mostaql.reviews.urls")),
    path("", include("mostaql.contracts.urls")),
    path("", include("mostaql.wallet.urls")),
    path("", include("mostaql.messaging.urls")),
    path("", include("mostaql.notifications.urls")),
    path("", include("mostaql.reports.urls")),
    path("", include("mostaql.guides.urls")),
    path("", include("mostaql.help.urls")),
    path("", include("mostaql.seo.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.BENCHMARK_ENDPOINTS:
    # The framework's ceiling for `manage.py bench`: mounted only when the benchmark asks for it.
    urlpatterns.append(path("bench/fixed/", fixed_response, name="bench_fixed"))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
