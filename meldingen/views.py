"""Browser pages of the Partner (role melder): the melding form, the list and the detail of own meldingen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from meldpunt.audit.services import herkomst_van
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol, User
from meldpunt.core.permissions import RolVereistMixin

from .ddas import PARTNER_STATUS_LABELS
from .forms import AfsluitenForm, ContactpogingForm, HeropenenForm, MeldingForm, ToewijzenForm, WerkbakForm
from .selectors import (
    dossier_get_voor_uitvoerder,
    dossier_weergave,
    melding_get_voor_partner,
    melding_list_voor_partner,
    mijn_dossiers,
    partner_weergaven,
    wachtrij_voor_uitvoerder,
    werkbak_filter,
    werkbak_get,
    werkbakken_met_aantallen,
)
from .services import (
    contactpoging_create,
    dossier_afsluiten,
    dossier_claim,
    dossier_heropenen,
    dossier_toewijzen,
    melding_create,
    werkbak_create,
    werkbak_verwijderen,
)
from .validatie import plat, valideer_melding
from .workflow import Kanaal

DOEL = "vroegsignalering huurachterstand"


class MeldingCreateView(RolVereistMixin, View):
    rollen = (Rol.MELDER,)
    template_name = "meldingen/melding_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": MeldingForm(gebruiker=request.user)})  # type: ignore[arg-type]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MeldingForm(request.POST, gebruiker=request.user)  # type: ignore[arg-type]
        if form.is_valid():
            organisatie = request.user.organisatie  # type: ignore[union-attr]
            uitkomst = valideer_melding(form.invoer(), partner=organisatie, vandaag=timezone.localdate())
            if uitkomst.geldig:
                resultaat = melding_create(
                    uitkomst=uitkomst,
                    partner=organisatie,
                    kanaal=Kanaal.FORMULIER,
                    door=request.user,  # type: ignore[arg-type]
                    herkomst=herkomst_van(request),
                )
                if not resultaat.nieuw:
                    messages.info(request, "Deze melding was al ontvangen; er is niets nieuws opgeslagen.")
                elif resultaat.vervolgmelding:
                    messages.success(request, "De melding is ontvangen en toegevoegd aan het lopende dossier.")
                else:
                    messages.success(request, "De melding is ontvangen.")
                return redirect("meldingen:detail", pk=resultaat.melding.pk)
            for pad, berichten in uitkomst.fouten.items():
                veld = plat(pad)
                for bericht in berichten:
                    form.add_error(veld if veld in form.fields else None, bericht)
            form._markeer_ongeldig()
        return render(request, self.template_name, {"form": form}, status=400)


class MeldingListView(RolVereistMixin, View):
    rollen = (Rol.MELDER,)

    def get(self, request: HttpRequest) -> HttpResponse:
        organisatie = request.user.organisatie  # type: ignore[union-attr]
        referentie = request.GET.get("referentie", "").strip()[:100]
        status = request.GET.get("status", "")
        if status not in PARTNER_STATUS_LABELS:
            status = ""
        qs = melding_list_voor_partner(organisatie=organisatie, referentie=referentie, status=status)
        pagina = Paginator(qs, 25).get_page(request.GET.get("pagina"))
        weergaven = partner_weergaven(
            meldingen=list(pagina.object_list),
            gebruiker=request.user,  # type: ignore[arg-type]
            organisatie=organisatie,
            herkomst=herkomst_van(request),
            doel=DOEL,
        )
        context = {
            "pagina": pagina,
            "weergaven": weergaven,
            "referentie": referentie,
            "status": status,
            "statussen": PARTNER_STATUS_LABELS.items(),
        }
        return render(request, "meldingen/melding_list.html", context)


class MeldingDetailView(RolVereistMixin, View):
    rollen = (Rol.MELDER,)

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        organisatie = request.user.organisatie  # type: ignore[union-attr]
        melding = melding_get_voor_partner(organisatie=organisatie, pk=pk)
        (weergave,) = partner_weergaven(
            meldingen=[melding],
            gebruiker=request.user,  # type: ignore[arg-type]
            organisatie=organisatie,
            herkomst=herkomst_van(request),
            doel=DOEL,
        )
        return render(request, "meldingen/melding_detail.html", {"w": weergave, "g": weergave.gegevens})


class WachtrijView(RolVereistMixin, View):
    """The Uitvoerder's queue of new signals, optionally narrowed to a work queue (werkbakje)."""

    rollen = (Rol.HULPVERLENER, Rol.TEAMLEIDER)

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        qs = wachtrij_voor_uitvoerder(user=user)  # type: ignore[arg-type]
        werkbak = None
        if request.GET.get("werkbak"):
            werkbak = werkbak_get(user=user, pk=request.GET["werkbak"])  # type: ignore[arg-type]
            qs = qs.filter(werkbak_filter(werkbak))
        pagina = Paginator(qs, 50).get_page(request.GET.get("pagina"))
        context = {
            "pagina": pagina,
            "aantal": pagina.paginator.count,
            "werkbak": werkbak,
            "werkbakken": werkbakken_met_aantallen(user=user),  # type: ignore[arg-type]
            "is_teamleider": user.heeft_rol(Rol.TEAMLEIDER),  # type: ignore[union-attr]
        }
        return render(request, "meldingen/wachtrij.html", context)


class WerkbakCreateView(RolVereistMixin, View):
    rollen = (Rol.TEAMLEIDER,)
    template_name = "meldingen/werkbak_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = WerkbakForm(organisatie=request.user.organisatie)  # type: ignore[union-attr]
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WerkbakForm(request.POST, organisatie=request.user.organisatie)  # type: ignore[union-attr]
        if form.is_valid():
            try:
                werkbak = werkbak_create(door=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"Werkbakje {werkbak.naam} is aangemaakt.")
                return redirect(f"{reverse('meldingen:wachtrij')}?werkbak={werkbak.pk}")
        return render(request, self.template_name, {"form": form}, status=400)


class WerkbakVerwijderView(RolVereistMixin, View):
    rollen = (Rol.TEAMLEIDER,)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        werkbak = werkbak_get(user=request.user, pk=pk)  # type: ignore[arg-type]
        werkbak_verwijderen(werkbak=werkbak, door=request.user)  # type: ignore[arg-type]
        messages.success(request, "Het werkbakje is verwijderd.")
        return redirect("meldingen:wachtrij")


UITVOERDER = (Rol.HULPVERLENER, Rol.TEAMLEIDER)


class DossierClaimView(RolVereistMixin, View):
    rollen = UITVOERDER

    def post(self, request: HttpRequest, pk: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=pk)  # type: ignore[arg-type]
        try:
            dossier_claim(dossier_id=dossier.pk, door=request.user)  # type: ignore[arg-type]
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("meldingen:wachtrij")
        messages.success(request, f"U heeft dossier {dossier.nummer} opgepakt.")
        return redirect("meldingen:dossier", pk=dossier.pk)


class MijnDossiersView(RolVereistMixin, View):
    rollen = UITVOERDER

    def get(self, request: HttpRequest) -> HttpResponse:
        dossiers = mijn_dossiers(user=request.user)  # type: ignore[arg-type]
        return render(request, "meldingen/mijn_dossiers.html", {"dossiers": dossiers})


class DossierDetailView(RolVereistMixin, View):
    rollen = UITVOERDER
    template_name = "meldingen/dossier_detail.html"

    def _render(self, request: HttpRequest, dossier: Any, status: int = 200, **formulieren: Any) -> HttpResponse:
        gebruiker = request.user
        team = User.objects.filter(organisatie=gebruiker.organisatie, is_active=True).filter(  # type: ignore[union-attr]
            Q(rollen__contains=[Rol.HULPVERLENER]) | Q(rollen__contains=[Rol.TEAMLEIDER])
        )
        context = {
            "w": dossier_weergave(dossier=dossier, gebruiker=gebruiker, herkomst=herkomst_van(request)),  # type: ignore[arg-type]
            "contact_form": formulieren.get("contact") or ContactpogingForm(initial={"datum": timezone.localdate()}),
            "afsluiten_form": formulieren.get("afsluiten") or AfsluitenForm(),
            "heropenen_form": formulieren.get("heropenen") or HeropenenForm(),
            "toewijzen_form": formulieren.get("toewijzen") or ToewijzenForm(team=team),
            "is_teamleider": gebruiker.heeft_rol(Rol.TEAMLEIDER),  # type: ignore[union-attr]
            "mag_werken": dossier.behandelaar_id == gebruiker.pk or gebruiker.heeft_rol(Rol.TEAMLEIDER),  # type: ignore[union-attr]
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=pk)  # type: ignore[arg-type]
        return self._render(request, dossier)

    def post(self, request: HttpRequest, pk: str) -> HttpResponse:
        dossier = dossier_get_voor_uitvoerder(user=request.user, pk=pk)  # type: ignore[arg-type]
        actie = request.POST.get("actie", "")
        gebruiker = request.user
        team = User.objects.filter(organisatie=gebruiker.organisatie)  # type: ignore[union-attr]
        formulieren = {
            "contact": (ContactpogingForm, lambda d: contactpoging_create(dossier=dossier, door=gebruiker, **d)),
            "afsluiten": (AfsluitenForm, lambda d: dossier_afsluiten(dossier=dossier, door=gebruiker, **d)),
            "heropenen": (HeropenenForm, lambda d: dossier_heropenen(dossier=dossier, door=gebruiker, **d)),
            "toewijzen": (
                lambda data: ToewijzenForm(data, team=team),
                lambda d: dossier_toewijzen(dossier=dossier, door=gebruiker, **d),
            ),
        }
        if actie not in formulieren:
            messages.error(request, "Onbekende actie.")
            return redirect("meldingen:dossier", pk=dossier.pk)
        form_klasse, service = formulieren[actie]
        form = form_klasse(request.POST)
        if form.is_valid():
            try:
                service(form.cleaned_data)
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, "Opgeslagen.")
                return redirect("meldingen:dossier", pk=dossier.pk)
        dossier.refresh_from_db()
        return self._render(request, dossier, status=400, **{actie: form})
