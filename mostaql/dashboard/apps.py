from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The page that says what needs the person now. It reads every app, so it sits above them all."""

    name = "mostaql.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")
