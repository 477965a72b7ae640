from django.apps import AppConfig


class ConvenantenConfig(AppConfig):
    name = "convenants"
    verbose_name = "Convenanten"
