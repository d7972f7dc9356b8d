from django.apps import AppConfig
from django.db.models.signals import post_migrate

from mostaql.core import checks  # noqa: F401  (registers the deploy checks)


class CoreConfig(AppConfig):
    name = "mostaql.core"
    label = "core"

    def ready(self) -> None:
        # Django's idiom: what reads models is imported once they are loaded. Infrastructure, not
        # domain logic: SQLite's search indexes must exist whichever app migrated last.
        from mostaql.core.search.index import ensure_search_indexes

        post_migrate.connect(ensure_search_indexes, dispatch_uid="core.search_indexes")
