"""Login in two steps (password, then TOTP), first-time authenticator set-up, logout, activation.

The password step never logs the user in: it remembers who passed it for a few minutes. Only a valid
second factor completes the login. Failed passwords and failed codes both count towards the
django-axes lockout (5 attempts).

Every login, refused attempt and logout is logged (meldpunt.audit). A refused attempt records the
account's id only when the account exists; the typed username is never stored.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, user_login_failed
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldpunt.audit.models import Actie, Doel, Resultaat
from meldpunt.audit.services import logregel_voor_account, logregel_voor_request

from ..forms import InlogForm, MeldpuntFormMixin, TokenForm, WachtwoordKiezenForm
from ..inlogrem import adres_geremd
from ..middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
from ..models import User
from ..services import totp_apparaat_aanmaken, totp_apparaat_bevestigen

PENDING_KEY = "meldpunt_inlog_stap1"
NEXT_KEY = "meldpunt_inlog_volgende"


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    age = timezone.now().timestamp() - pending["sinds"]
    if age > settings.LOGIN_SECOND_FACTOR_TIMEOUT.total_seconds():
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True, organisatie__actief=True).first()


def _locked(request: HttpRequest, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, credentials={"username": username})


def _log_mislukt(request: HttpRequest, user: User | None) -> None:
    logregel_voor_account(
        request, gebruiker=user, actie=Actie.INLOGGEN_MISLUKT, resultaat=Resultaat.GEWEIGERD, doel=Doel.BEVEILIGING
    )


def _bekende_gebruiker(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _lockout_response(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    return TemplateResponse(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


def _adres_geremd_response(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    return TemplateResponse(request, "core/adres_geremd.html", status=429)


def _complete_login(request: HttpRequest, user: User, device: TOTPDevice) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    volgende = request.session.pop(NEXT_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    now = timezone.now().timestamp()
    request.session[SESSION_LOGIN_AT] = now
    request.session[SESSION_LAST_SEEN] = now
    logregel_voor_request(request, actie=Actie.INLOGGEN, obj=user, doel=Doel.BEVEILIGING)
    return redirect(volgende or settings.LOGIN_REDIRECT_URL)


@method_decorator([login_not_required, never_cache, sensitive_post_parameters("password")], name="dispatch")
class InlogView(View):
    template_name = "core/inloggen.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.user.is_verified():  # type: ignore[attr-defined]  # django-otp adds is_verified()
            return redirect(settings.LOGIN_REDIRECT_URL)
        return render(request, self.template_name, {"form": InlogForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InlogForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        if adres_geremd(request):
            return _adres_geremd_response(request)
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False) or _locked(request, username):
            _log_mislukt(request, user or _bekende_gebruiker(username))
            return _lockout_response(request)
        if user is None or not user.organisatie.actief:
            _log_mislukt(request, user or _bekende_gebruiker(username))
            form.add_error(None, "De combinatie van gebruikersnaam en wachtwoord is onjuist.")
            return render(request, self.template_name, {"form": form}, status=400)
        request.session.cycle_key()
        request.session[PENDING_KEY] = {"user_id": user.pk, "sinds": timezone.now().timestamp()}
        volgende = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            volgende, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            request.session[NEXT_KEY] = volgende
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("core:tweede_factor")
        return redirect("core:tweede_factor_instellen")


def _token_failed(request: HttpRequest, user: User) -> None:
    user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
    _log_mislukt(request, user)


@method_decorator([login_not_required, never_cache], name="dispatch")
class TweedeFactorView(View):
    template_name = "core/tweede_factor.html"

    #: The user who passed the first step (set by dispatch; the view answers only while there is one).
    user: User

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = _pending_user(request)
        if user is None:
            messages.info(request, "Log opnieuw in: de tijd voor de tweede stap is verstreken.")
            return redirect(settings.LOGIN_URL)
        self.user = user
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": TokenForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        if adres_geremd(request):
            return _adres_geremd_response(request)
        if _locked(request, self.user.username):
            _log_mislukt(request, self.user)
            return _lockout_response(request)
        form = TokenForm(request.POST)
        device = TOTPDevice.objects.filter(user=self.user, confirmed=True).first()
        if device is None:
            return redirect("core:tweede_factor_instellen")
        if form.is_valid() and device.verify_token(form.cleaned_data["token"].strip()):
            return _complete_login(request, self.user, device)
        _token_failed(request, self.user)
        if _locked(request, self.user.username):
            return _lockout_response(request)
        if form.is_valid():
            form.add_error("token", "Deze code is onjuist of verlopen. Probeer de nieuwe code uit de app.")
        return render(request, self.template_name, {"form": form}, status=400)


@method_decorator([login_not_required, never_cache], name="dispatch")
class TweedeFactorInstellenView(View):
    """First login: set up an authenticator app by scanning a QR code and entering one code."""

    template_name = "core/tweede_factor_instellen.html"

    #: The user who passed the first step (set by dispatch; the view answers only while there is one).
    user: User

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = _pending_user(request)
        if user is None:
            messages.info(request, "Log opnieuw in: de tijd voor de tweede stap is verstreken.")
            return redirect(settings.LOGIN_URL)
        self.user = user
        if TOTPDevice.objects.filter(user=self.user, confirmed=True).exists():
            return redirect("core:tweede_factor")
        return super().dispatch(request, *args, **kwargs)

    def _context(self, form: MeldpuntFormMixin, device: TOTPDevice) -> dict[str, Any]:
        uri = device.config_url
        return {
            "form": form,
            "qr_svg": segno.make(uri, error="m").svg_inline(scale=5, title="QR-code voor uw authenticator-app"),
            "geheim": base64.b32encode(device.bin_key).decode(),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        device = totp_apparaat_aanmaken(gebruiker=self.user)
        return render(request, self.template_name, self._context(TokenForm(), device))

    def post(self, request: HttpRequest) -> HttpResponse:
        if _locked(request, self.user.username):
            _log_mislukt(request, self.user)
            return _lockout_response(request)
        device = TOTPDevice.objects.filter(user=self.user, confirmed=False).first()
        if device is None:
            return redirect("core:tweede_factor_instellen")
        form = TokenForm(request.POST)
        if form.is_valid() and totp_apparaat_bevestigen(apparaat=device, token=form.cleaned_data["token"].strip()):
            device.refresh_from_db()
            return _complete_login(request, self.user, device)
        _token_failed(request, self.user)
        if _locked(request, self.user.username):
            return _lockout_response(request)
        if form.is_valid():
            form.add_error("token", "Deze code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw.")
        return render(request, self.template_name, self._context(form, device), status=400)


@require_http_methods(["GET", "POST"])
@login_not_required
def uitloggen(request: HttpRequest) -> HttpResponse:
    """POST logs out. GET (a typed or bookmarked address) asks first: logging out changes state, so it takes
    the form's POST with its CSRF token."""
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return render(request, "core/uitloggen.html")
    if request.user.is_authenticated:
        logregel_voor_request(request, actie=Actie.UITLOGGEN, obj=request.user, doel=Doel.BEVEILIGING)
    logout(request)
    messages.success(request, "U bent uitgelogd.")
    return redirect(settings.LOGIN_URL)


@method_decorator(login_not_required, name="dispatch")
class AccountActiverenView(PasswordResetConfirmView):
    """The link from the invitation e-mail: choose a password (then log in and set up the app)."""

    template_name = "core/account_activeren.html"
    form_class = WachtwoordKiezenForm
    success_url = reverse_lazy("core:login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        logregel_voor_account(self.request, gebruiker=form.user, actie=Actie.WIJZIGEN, doel=Doel.BEVEILIGING)
        messages.success(self.request, "Uw wachtwoord is ingesteld. Log in om uw authenticator-app te koppelen.")
        return response
