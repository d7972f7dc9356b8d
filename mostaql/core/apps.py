from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mostaql.core"
    label = "core"
