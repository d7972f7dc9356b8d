from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models: an app only so that its seed_demo command is found.
    name = "mostaql.demo"
    label = "demo"
