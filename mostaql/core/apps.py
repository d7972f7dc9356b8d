from django.apps import AppConfig

from mostaql.core import checks  # noqa: F401  (registers the deploy checks)


class CoreConfig(AppConfig):
    name = "mostaql.core"
    label = "core"
