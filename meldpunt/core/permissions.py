"""Role enforcement for views.

Every view of the application declares the roles that may use it: class-based views through
:class:`RolVereistMixin` (``rollen = (...)``), function views through :func:`rol_vereist`. Views that
must be reachable without login are marked with Django's ``login_not_required``. The permission-matrix
test walks the URL conf and fails for any view that declares neither.

Objects of another organisation are never distinguished from objects that do not exist: selectors
scope every query to the user's organisation first and answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import User


class IngelogdVerzoek(HttpRequest):
    """The request a view behind :class:`RolVereistMixin` or :func:`rol_vereist` handles: its user is logged in
    (with the second factor) and holds a role. For the type checker, which otherwise takes ``request.user`` to
    be possibly anonymous."""

    user: User


def gebruiker_heeft_rol(user: Any, rollen: tuple[str, ...]) -> bool:
    return bool(user.is_authenticated and user.is_active and any(rol in user.rollen for rol in rollen))


def rol_vereist(*rollen: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not gebruiker_heeft_rol(request.user, rollen):
                raise PermissionDenied("Uw rol geeft geen toegang tot deze pagina.")
            return view(request, *args, **kwargs)

        wrapped.meldpunt_rollen = rollen  # type: ignore[attr-defined]  # read by view_rollen
        return wrapped

    return decorator


class RolVereistMixin:
    """Refuse (403) users that hold none of ``rollen``."""

    rollen: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.rollen:
            raise PermissionDenied("Deze pagina heeft geen rollen ingesteld.")
        if not gebruiker_heeft_rol(request.user, self.rollen):
            raise PermissionDenied("Uw rol geeft geen toegang tot deze pagina.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin: View supplies dispatch


def view_rollen(view_func: Callable[..., Any]) -> tuple[str, ...] | None:
    """The roles a resolved view declares, or None when it declares none (used by the matrix test)."""
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None and issubclass(view_class, RolVereistMixin):
        return view_class.rollen
    return getattr(view_func, "meldpunt_rollen", None)
