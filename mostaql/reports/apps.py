from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "mostaql.reports"
    label = "reports"
    verbose_name = _("Reports and suspensions")

    def ready(self) -> None:
        # The apps below reports ask mostaql.core.visibility what is hidden; reports answers.
        from mostaql.core import visibility
        from mostaql.reports import visibility as hidden_items

        visibility.provide(is_hidden=hidden_items.is_hidden, item_is_hidden=hidden_items.item_is_hidden)
