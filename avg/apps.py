from django.apps import AppConfig


class AvgConfig(AppConfig):
    name = "avg"
    verbose_name = "AVG-verzoeken"
