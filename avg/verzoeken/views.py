"""The contactpunt's pages of data-subject requests (the FG reads along)."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from avg.besluiten.models import bezwaartermijn_einde
from avg.besluiten.selectors import (
    aanvullingen_van,
    besluiten_van,
    huidig_jaar,
    jaarcijfers,
    pakket_van,
    uitvoeringen_van,
)
from avg.besluiten.services import aanvullend_besluiten, vervallen_weigeringen, verzoek_besluiten
from avg.besluiten.uitvoering import aanvulling_uit_te_voeren, aanvulling_uitvoeren, verzoek_uitvoeren
from avg.bezwaren.forms import BezwaarForm
from avg.bezwaren.selectors import bezwaren_van
from avg.bezwaren.services import bezwaar_registreren
from avg.raadpleging.selectors import raadplegingen_van_verzoek, te_laat
from avg.raadpleging.services import raadplegingen_versturen
from meldingen.doelen import DOEL_AVG_VERZOEK
from meldingen.rectificatie.selectors import rectificaties_voor
from meldpunt.audit.services import logregel_voor_request
from meldpunt.core.exceptions import ApplicationError
from meldpunt.core.models import Rol
from meldpunt.core.permissions import IngelogdVerzoek, RolVereistMixin

from .forms import (
    IdentiteitForm,
    VerklaringForm,
    VerlengingForm,
    VerlengingVerzondenForm,
    VerzoekForm,
    ZoekForm,
)
from .models import Verzoek, VerzoekDossier
from .selectors import (
    STOPLICHT_KLASSE,
    STOPLICHT_LABELS,
    bevestigde_dossiers,
    dossiers_zoeken,
    gemeente_id_van,
    kandidaat_dossier_get,
    stoplicht,
    verlenging_reden,
    verlengingsbrief_van,
    verzoek_get,
    verzoeken_overzicht,
    verzoeker_gegevens,
)
from .services import (
    BRON_VERZOEK,
    verlenging_verzonden,
    verzoek_identiteit_vaststellen,
    verzoek_registreren,
    verzoek_verlengen,
    verzoekdossier_bevestigen,
    verzoekdossier_verklaring_toevoegen,
)
from .verlengingsbrief import verlengingsbrief_downloaden
from .workflow import VerzoekStatus

LEZERS = (Rol.CONTACTPUNT, Rol.FG)


class VerzoekListView(RolVereistMixin, View):
    rollen = LEZERS

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(
            request,
            "avg/verzoeken/list.html",
            {
                "regels": verzoeken_overzicht(user=request.user),
                "is_contactpunt": request.user.heeft_rol(Rol.CONTACTPUNT),
            },
        )


class VerzoekCreateView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT,)
    template_name = "avg/verzoeken/form.html"

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        return render(request, self.template_name, {"form": VerzoekForm()})

    def post(self, request: IngelogdVerzoek) -> HttpResponse:
        form = VerzoekForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                verzoek = verzoek_registreren(
                    door=request.user,
                    ontvangen_op=d["ontvangen_op"],
                    kanaal=d["kanaal"],
                    soorten=d["soorten"],
                    verzoeker={
                        k: d.get(k)
                        for k in (
                            "achternaam",
                            "voornamen",
                            "geboortedatum",
                            "postcode",
                            "huisnummer",
                            "toevoeging",
                            "email",
                        )
                    },
                    door_vertegenwoordiger=d["door_vertegenwoordiger"],
                    vertegenwoordiger=d["vertegenwoordiger"],
                )
            except ApplicationError as exc:
                form.apply_application_error(exc)
            else:
                messages.success(request, f"Verzoek {verzoek.nummer} is geregistreerd.")
                return redirect("verzoeken:detail", pk=verzoek.pk)
        return render(request, self.template_name, {"form": form}, status=400)


ACTIES = {
    "identiteit": IdentiteitForm,
    "verlengen": VerlengingForm,
    "verlenging_verzonden": VerlengingVerzondenForm,
    "zoeken": ZoekForm,
    "bezwaar": BezwaarForm,
}


class VerzoekDetailView(RolVereistMixin, View):
    rollen = LEZERS

    def context(self, request: IngelogdVerzoek, verzoek: Verzoek, **formulieren: Any) -> dict[str, Any]:
        raadplegingen = raadplegingen_van_verzoek(verzoek)
        bezwaren = bezwaren_van(verzoek)
        ctx: dict[str, Any] = {
            "verzoek": verzoek,
            "verzoeker": verzoeker_gegevens(verzoek=verzoek, gebruiker=request.user),
            "verlenging_reden": verlenging_reden(verzoek),
            "stoplicht": stoplicht(verzoek),
            "stoplicht_label": STOPLICHT_LABELS[stoplicht(verzoek)],
            "stoplicht_klasse": STOPLICHT_KLASSE[stoplicht(verzoek)],
            "dossiers": bevestigde_dossiers(verzoek),
            "rectificaties": list(rectificaties_voor(bron=BRON_VERZOEK, bron_id=str(verzoek.pk))),
            "raadplegingen": [(r, te_laat(r)) for r in raadplegingen],
            "besluiten": besluiten_van(verzoek),
            "aanvullingen": aanvullingen_van(verzoek),
            "aanvullend_besluit_nodig": bool(vervallen_weigeringen(verzoek)),
            "aanvulling_uit_te_voeren": aanvulling_uit_te_voeren(verzoek),
            "uitvoeringen": uitvoeringen_van(verzoek),
            "pakket": pakket_van(verzoek),
            "verlengingsbrief": verlengingsbrief_van(verzoek),
            "bezwaren": bezwaren,
            "open_bezwaar": next((b for b in bezwaren if b.open), None),
            "bezwaar_tot": bezwaartermijn_einde(verzoek.besloten_op) if verzoek.besloten_op else None,
            "is_contactpunt": request.user.heeft_rol(Rol.CONTACTPUNT),
            "status": VerzoekStatus,
            "kandidaten": None,
        }
        for naam, klasse in ACTIES.items():
            ctx[f"{naam}_form"] = formulieren.get(naam) or klasse(prefix=naam)
        ctx["verklaring_form"] = VerklaringForm(prefix="verklaring")
        return ctx

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        verzoek = verzoek_get(user=request.user, pk=pk)
        return render(request, "avg/verzoeken/detail.html", self.context(request, verzoek))

    def post(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        verzoek = verzoek_get(user=request.user, pk=pk)
        if not request.user.heeft_rol(Rol.CONTACTPUNT):
            messages.error(request, "Alleen het contactpunt behandelt het verzoek.")
            return redirect("verzoeken:detail", pk=verzoek.pk)
        actie = request.POST.get("actie", "")
        try:
            if actie in ACTIES:
                form = ACTIES[actie](request.POST, prefix=actie)
                if not form.is_valid():
                    return render(
                        request,
                        "avg/verzoeken/detail.html",
                        self.context(request, verzoek, **{actie: form}),
                        status=400,
                    )
                try:
                    antwoord = self.formulier_actie(request, verzoek, actie, form.cleaned_data)
                except ApplicationError as exc:
                    form.apply_application_error(exc)
                    return render(
                        request,
                        "avg/verzoeken/detail.html",
                        self.context(request, verzoek, **{actie: form}),
                        status=400,
                    )
                if antwoord is not None:
                    return antwoord
            elif actie == "raadplegen":
                nieuw = raadplegingen_versturen(verzoek=verzoek, door=request.user)
                messages.success(request, f"{len(nieuw)} deelnemer(s) geraadpleegd.")
            elif actie == "besluiten":
                verzoek_besluiten(verzoek=verzoek, door=request.user)
                messages.success(request, "Het besluit is genomen; de brief en het antwoordpakket worden gemaakt.")
            elif actie == "uitvoeren":
                verzoek_uitvoeren(verzoek=verzoek, door=request.user)
                messages.success(request, "Het besluit is uitgevoerd en het verzoek afgehandeld.")
            elif actie == "aanvullend_besluiten":
                aanvullend_besluiten(verzoek=verzoek, door=request.user)
                messages.success(
                    request,
                    "Het aanvullende besluit is genomen; de brief en het antwoordpakket worden opnieuw gemaakt.",
                )
            elif actie == "aanvulling_uitvoeren":
                uitgevoerd = aanvulling_uitvoeren(verzoek=verzoek, door=request.user)
                messages.success(
                    request, f"Het aanvullende besluit is uitgevoerd: {len(uitgevoerd)} dossier(s) gewist."
                )
            else:
                messages.error(request, "Onbekende handeling.")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("verzoeken:detail", pk=verzoek.pk)

    def formulier_actie(
        self, request: IngelogdVerzoek, verzoek: Verzoek, actie: str, d: dict[str, Any]
    ) -> HttpResponse | None:
        if actie == "identiteit":
            verzoek_identiteit_vaststellen(
                verzoek=verzoek,
                door=request.user,
                methode=d["methode"],
                vastgesteld_op=d["vastgesteld_op"],
                kopie_vernietigd=d["kopie_vernietigd"],
            )
            messages.success(request, "De identiteit is vastgelegd; de termijn loopt.")
        elif actie == "verlengen":
            verzoek_verlengen(
                verzoek=verzoek,
                door=request.user,
                verlengd_tot=d["verlengd_tot"],
                reden=d["reden"],
            )
            messages.success(
                request,
                "De verlenging is vastgelegd; de brief aan de verzoeker wordt gemaakt. Download hem, verstuur hem "
                "binnen de eerste maand en leg de verzenddatum vast.",
            )
        elif actie == "verlenging_verzonden":
            verlenging_verzonden(verzoek=verzoek, door=request.user, verzonden_op=d["verzonden_op"])
            messages.success(request, "De verzending is vastgelegd; de verlengde termijn geldt.")
        elif actie == "zoeken":
            kandidaten = dossiers_zoeken(verzoek=verzoek, gebruiker=request.user, **d)
            ctx = self.context(request, verzoek)
            ctx["kandidaten"] = kandidaten
            return render(request, "avg/verzoeken/detail.html", ctx)
        elif actie == "bezwaar":
            bezwaar = bezwaar_registreren(
                verzoek=verzoek,
                door=request.user,
                ontvangen_op=d["ontvangen_op"],
                reactie_termijn_op=d["reactie_termijn_op"],
            )
            messages.success(request, "Het bezwaar is geregistreerd en de deelnemers zijn geïnformeerd.")
            return redirect("bezwaren:detail", pk=bezwaar.pk)
        return None


class DossierBevestigenView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT,)

    def post(self, request: IngelogdVerzoek, pk: Any, dossier_id: Any) -> HttpResponse:
        verzoek = verzoek_get(user=request.user, pk=pk)
        dossier = kandidaat_dossier_get(verzoek=verzoek, pk=dossier_id)
        try:
            verzoekdossier_bevestigen(verzoek=verzoek, dossier=dossier, door=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Dossier {dossier.nummer} hoort bij dit verzoek.")
        return redirect("verzoeken:detail", pk=verzoek.pk)


class VerklaringView(RolVereistMixin, View):
    rollen = (Rol.CONTACTPUNT,)

    def post(self, request: IngelogdVerzoek, pk: Any, dossier_id: Any) -> HttpResponse:
        verzoek = verzoek_get(user=request.user, pk=pk)
        koppeling = VerzoekDossier.objects.filter(
            verzoek=verzoek, dossier_id=kandidaat_dossier_get(verzoek=verzoek, pk=dossier_id).pk
        ).first()
        form = VerklaringForm(request.POST, prefix="verklaring")
        if koppeling is None or not form.is_valid():
            messages.error(request, "Vul de verklaring van de huurder in bij een bevestigd dossier.")
        else:
            try:
                verzoekdossier_verklaring_toevoegen(
                    koppeling=koppeling, door=request.user, verklaring=form.cleaned_data["verklaring"]
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "De verklaring van de huurder is aan het dossier toegevoegd.")
        return redirect("verzoeken:detail", pk=verzoek.pk)


class VerlengingsbriefDownloadView(RolVereistMixin, View):
    """The extension letter (PDF), for the contactpunt to send and the FG to read along; the read is logged."""

    rollen = LEZERS

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        verzoek = verzoek_get(user=request.user, pk=pk)
        brief = verlengingsbrief_van(verzoek)
        gevonden = verlengingsbrief_downloaden(brief=brief, door=request.user) if brief else None
        if gevonden is None:
            raise Http404
        logregel_voor_request(request, actie="exporteren", obj=verzoek, doel=DOEL_AVG_VERZOEK)
        response = HttpResponse(gevonden[1], content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{gevonden[0]}"'
        response["Cache-Control"] = "no-store"
        return response


class VerlengingsbriefStatusView(RolVereistMixin, View):
    """The letter's progress while the worker makes it (polled by htmx)."""

    rollen = LEZERS

    def get(self, request: IngelogdVerzoek, pk: Any) -> HttpResponse:
        verzoek = verzoek_get(user=request.user, pk=pk)
        return render(
            request,
            "avg/verzoeken/_verlengingsbrief.html",
            {
                "verzoek": verzoek,
                "verlengingsbrief": verlengingsbrief_van(verzoek),
                "is_contactpunt": request.user.heeft_rol(Rol.CONTACTPUNT),
            },
        )


class JaarcijfersView(RolVereistMixin, View):
    rollen = LEZERS

    def get(self, request: IngelogdVerzoek) -> HttpResponse:
        try:
            jaar = int(request.GET.get("jaar") or huidig_jaar())
        except ValueError:
            jaar = huidig_jaar()
        gemeente_id = gemeente_id_van(request.user)
        rijen = jaarcijfers(gemeente_id=gemeente_id, jaar=jaar) if gemeente_id else []
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="avg-verzoeken-{jaar}.csv"'
        schrijver = csv.writer(response, delimiter=";")
        schrijver.writerow(["jaar", "soort", "uitkomst", "aantal"])
        for soort, uitkomst, aantal in rijen:
            schrijver.writerow([jaar, soort, uitkomst, aantal])
        logregel_voor_request(request, actie="exporteren", obj=Verzoek, doel=DOEL_AVG_VERZOEK)
        return response
