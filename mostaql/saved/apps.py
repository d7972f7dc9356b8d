from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavedConfig(AppConfig):
    name = "mostaql.saved"
    label = "saved"
    verbose_name = _("Saved searches and favourites")

    def ready(self) -> None:
        # A project that becomes public is matched against every saved search, once, after commit.
        from mostaql.briefs import hooks as brief_hooks
        from mostaql.projects import hooks as project_hooks
        from mostaql.saved import services

        project_hooks.published.register(services.project_published)
        # So is a buyer request, when a moderator approves it.
        brief_hooks.published.register(services.request_published)
