from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "mostaql.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        # Contracts sits below messaging: a hire opens the conversation through this hook.
        from mostaql.contracts import hooks as contract_hooks
        from mostaql.messaging.services import open_conversation_at_hire

        contract_hooks.hired.register(open_conversation_at_hire)
