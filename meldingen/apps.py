from django.apps import AppConfig


class MeldingenConfig(AppConfig):
    name = "meldingen"
    verbose_name = "Meldingen en dossiers"

    def ready(self) -> None:
        # Register the digest task (it lives next to the digest service, not in tasks.py).
        from . import notificaties  # noqa: F401
