from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    """Buyer requests (طلبات): a buyer asks for a service, sellers answer with one of theirs."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mostaql.briefs"
    verbose_name = _("Requests")
