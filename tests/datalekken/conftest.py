import pytest


@pytest.fixture
def smtp(settings):
    """Mail through the real SMTP sink (pytest-django would otherwise keep it in memory)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
