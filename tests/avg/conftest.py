import pytest


@pytest.fixture
def smtp(settings):
    """Send through the real SMTP sink (the test settings default to the in-memory backend)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
