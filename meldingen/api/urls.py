"""Public intake API v1 (../shared/spec/API.md), mounted at /api/v1/.

The API authenticates every request itself (API key or verified session, see ``authentication.py``),
so its views are ``login_not_required`` for the login middleware; the schema and its docs are public.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.http import require_GET

from . import docs, views

app_name = "api"

urlpatterns = [
    path("meldingen/", login_not_required(views.MeldingListCreateView.as_view()), name="melding-list"),
    path("meldingen/<str:id>/", login_not_required(views.MeldingDetailView.as_view()), name="melding-detail"),
    path("schema/", login_not_required(docs.SchemaView.as_view()), name="schema"),
    path("docs/", login_not_required(docs.DocsView.as_view()), name="docs"),
    path("docs/bestanden/<str:naam>", login_not_required(require_GET(docs.docs_bestand)), name="docs_bestand"),
]
