"""Reads of the file upload, scoped to the asking user's organisation first (another's upload: 404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from meldpunt.core.models import User

from .models import Bestandsupload


def upload_list(*, gebruiker: User) -> QuerySet[Bestandsupload]:
    """The uploads of the user's organisation, newest first."""
    return (
        Bestandsupload.objects.filter(organisatie_id=gebruiker.organisatie_id)
        .select_related("door", "sleutel")
        .order_by("-aangemaakt_op")
    )


def upload_get(*, gebruiker: User, pk: Any) -> Bestandsupload:
    try:
        return upload_list(gebruiker=gebruiker).select_related("afgewezen_bestand__sleutel", "organisatie").get(pk=pk)
    except (Bestandsupload.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
