from django.apps import AppConfig


class FacturatieConfig(AppConfig):
    name = "facturatie"
    verbose_name = "Facturatie"
