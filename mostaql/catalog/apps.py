from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "mostaql.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        # Models and selectors are imported here, not above: Django loads apps.py before any models.
        from mostaql.catalog.models import Category, Skill
        from mostaql.catalog.selectors import retire_catalog_caches

        # Staff edit the catalog in the admin: signals, so that every way of saving retires the caches.
        for model in (Category, Skill):
            for signal in (post_save, post_delete):
                signal.connect(retire_catalog_caches, sender=model, dispatch_uid=f"catalog-{model.__name__}")
