from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "meldpunt.core"
    label = "core"
    verbose_name = "Kern"
