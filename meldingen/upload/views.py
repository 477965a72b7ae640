"""Pages of the file upload (role melder, own organisation only).

The status page polls a fragment with htmx every second while the upload waits or runs (no script of
our own, CSP-safe); once it is finished the fragment answers ``HX-Refresh`` so the page reloads with
the result.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from meldpunt.audit.services import herkomst_van
from meldpunt.core.downloads import bijlage
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .bestand import MIME
from .forms import UploadForm
from .models import Bestandsupload, UploadStatus
from .parser import KOLOMMEN, OPTIONELE_KOLOMMEN
from .schrijven import voorbeeld_bestand
from .selectors import upload_get, upload_list
from .services import afgewezen_rijen_lezen, upload_create

RECENT = 20
FOUTEN_PER_PAGINA = 100


def _voortgang(upload: Bestandsupload) -> dict[str, Any]:
    bezig = upload.status in (UploadStatus.WACHTRIJ, UploadStatus.BEZIG)
    return {"upload": upload, "bezig": bezig, "procent": min(upload.voortgang, 100)}


class UploadView(RolVereistMixin, View):
    rollen = (Rol.MELDER,)
    template_name = "meldingen/upload/upload.html"

    def _render(self, request: IngelogdVerzoek, form: UploadForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "uploads": upload_list(gebruiker=request.user)[:RECENT],
            "verplicht": [k for k in KOLOMMEN if k not in OPTIONELE_KOLOMMEN],
            "optioneel": [k for k in KOLOMMEN if k in OPTIONELE_KOLOMMEN],
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return self._render(request, UploadForm())

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            bestand = form.cleaned_data["bestand"]
            try:
                upload = upload_create(
                    bestand_bytes=bestand.read(),
                    bestandsnaam=bestand.name or "",
                    door=request.user,
                )
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "Het bestand is ontvangen en wordt nu gecontroleerd en verwerkt.")
                return redirect("upload:detail", pk=upload.pk)
        return self._render(request, form, status=400)


class UploadDetailView(RolVereistMixin, View):
    rollen = (Rol.MELDER,)

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        upload = upload_get(gebruiker=request.user, pk=pk)
        pagina = Paginator(upload.fouten, FOUTEN_PER_PAGINA).get_page(request.GET.get("pagina"))
        context = {
            **_voortgang(upload),
            "pagina": pagina,
            "opgeruimd": upload.sleutel.vernietigd,
        }
        return render(request, "meldingen/upload/detail.html", context)


class UploadVoortgangView(RolVereistMixin, View):
    """The progress fragment polled by the status page."""

    rollen = (Rol.MELDER,)

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        upload = upload_get(gebruiker=request.user, pk=pk)
        context = _voortgang(upload)
        response = render(request, "meldingen/upload/_voortgang.html", context)
        if not context["bezig"] and getattr(request, "htmx", False):
            response["HX-Refresh"] = "true"
        return response


class AfgewezenRijenView(RolVereistMixin, View):
    """Download the rejected rows (decrypted on the fly; the export is logged)."""

    rollen = (Rol.MELDER,)

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        upload = upload_get(gebruiker=request.user, pk=pk)
        if upload.afgewezen_bestand is None:
            raise Http404
        naam, mime, inhoud = afgewezen_rijen_lezen(
            upload=upload,
            gebruiker=request.user,
            herkomst=herkomst_van(request),
        )
        return bijlage(inhoud, naam=naam, mime=mime)


class VoorbeeldView(RolVereistMixin, View):
    """A CSV with only the header row, to start from."""

    rollen = (Rol.MELDER,)

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        response = HttpResponse(voorbeeld_bestand(), content_type=MIME["csv"])
        response["Content-Disposition"] = 'attachment; filename="meldingen-voorbeeld.csv"'
        return response
