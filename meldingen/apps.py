from django.apps import AppConfig


class MeldingenConfig(AppConfig):
    name = "meldingen"
    verbose_name = "Meldingen en dossiers"

    def ready(self) -> None:
        # Register the digest and art. 14 reminder tasks (they live next to their services, not in tasks.py).
        from . import informatieplicht, notificaties  # noqa: F401
