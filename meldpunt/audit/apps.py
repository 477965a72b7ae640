from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "meldpunt.audit"
    label = "audit"
    verbose_name = "Logboek dataverwerkingen"

    def ready(self) -> None:
        from . import context

        context.verbind_signalen()
