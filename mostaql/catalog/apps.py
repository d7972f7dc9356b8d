from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "mostaql.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from mostaql.catalog.models import Category, Skill

        # Staff edit the catalog in the admin: signals, so that every way of saving retires the caches.
        for model in (Category, Skill):
            for signal in (post_save, post_delete):
                signal.connect(_catalog_changed, sender=model, dispatch_uid=f"catalog-{model.__name__}")


def _catalog_changed(sender, **kwargs):
    from mostaql.catalog.selectors import CATALOG_VERSION_KEY
    from mostaql.core.cache import bump_version

    bump_version(CATALOG_VERSION_KEY)
