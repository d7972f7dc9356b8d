from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "mostaql.reviews"
    label = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        # Contracts and messaging sit below reviews: the reputation counters follow them through hooks.
        from mostaql.contracts import hooks as contract_hooks
        from mostaql.messaging import hooks as message_hooks
        from mostaql.reviews import reputation

        contract_hooks.delivered.register(reputation.record_delivery)
        contract_hooks.ended.register(reputation.record_contract_end)
        message_hooks.message_sent.register(reputation.record_message)
