from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GigsConfig(AppConfig):
    """The services market (خدمات): ready services with upgrades, ordered at once through the one
    agreement engine (contracts.services.start_order)."""

    name = "mostaql.gigs"
    label = "gigs"
    verbose_name = _("Services")
