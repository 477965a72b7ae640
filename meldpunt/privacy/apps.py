from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "meldpunt.privacy"
    label = "privacy"
    verbose_name = "Privacykern"
