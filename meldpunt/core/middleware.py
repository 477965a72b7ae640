"""Session lifetime and second-factor enforcement.

* Idle timeout: a session unused for ``SESSION_IDLE_TIMEOUT`` (15 minutes) is ended.
* Absolute timeout: a session older than ``SESSION_ABSOLUTE_TIMEOUT`` (12 hours) since login is ended,
  however active.
* Every view except those marked ``login_not_required`` needs a logged-in user whose login was
  completed with the second factor (django-otp ``is_verified``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone

SESSION_LOGIN_AT = "meldpunt_ingelogd_op"
SESSION_LAST_SEEN = "meldpunt_laatst_actief"


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            login_at = request.session.get(SESSION_LOGIN_AT)
            last_seen = request.session.get(SESSION_LAST_SEEN, login_at)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if login_at is None or now - login_at > absolute or last_seen is None or now - last_seen > idle:
                logout(request)
                messages.info(request, "Uw sessie is verlopen. Log opnieuw in.")
            else:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class VerifiedLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, plus: a login must have passed the second factor."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if not getattr(view_func, "login_required", True):
            return None
        user = request.user
        if user.is_authenticated and not user.is_verified():  # type: ignore[attr-defined]  # django-otp adds is_verified()
            logout(request)
            return redirect(settings.LOGIN_URL)
        return super().process_view(request, view_func, view_args, view_kwargs)


class GeenOpslagMiddleware:
    """Pages and API answers for a logged-in user (or an API key) are never stored by a browser or proxy:
    ``Cache-Control: no-store`` (docs/security.md). Static files and anonymous pages are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        ingelogd = user is not None and user.is_authenticated
        if ingelogd or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
