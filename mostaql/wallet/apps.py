from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mostaql.wallet import checks  # noqa: F401  (registers the deploy checks)


class WalletConfig(AppConfig):
    name = "mostaql.wallet"
    label = "wallet"
    verbose_name = _("Wallet")
