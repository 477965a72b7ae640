from django.apps import AppConfig


class FacturatieConfig(AppConfig):
    name = "facturatie"
    verbose_name = "Facturatie"

    def ready(self) -> None:
        # Celery's autodiscovery finds <app>/tasks.py only; the capability's tasks are registered here.
        from .facturen import tasks  # noqa: F401
