from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mostaql.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from mostaql.accounts.security import stamp_sign_in

        # Session bookkeeping, not domain logic: when this session last proved who it is.
        user_logged_in.connect(stamp_sign_in, dispatch_uid="mostaql-stamp-sign-in")
