from django.apps import AppConfig


class MeldingenConfig(AppConfig):
    name = "meldingen"
    verbose_name = "Meldingen en dossiers"

    def ready(self) -> None:
        # Celery finds only ``meldingen.tasks`` by itself: register the tasks of each capability; and the
        # Logboek names this app's objects by dossier number (meldingen/logboek.py).
        from .bewaring import tasks as bewaring_tasks  # noqa: F401
        from .dossiers import dagoverzicht  # noqa: F401
        from .informatieplicht import herinneringen  # noqa: F401
        from .logboek import registreren
        from .rapportage import tasks as rapportage_tasks  # noqa: F401
        from .upload import tasks as upload_tasks  # noqa: F401

        registreren()
