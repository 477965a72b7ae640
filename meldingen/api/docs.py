"""The OpenAPI schema and its Swagger UI, public and working under the strict CSP.

The CSP allows scripts and styles from this origin only, nothing inline. So the page (``docs.html``
beside this module) holds no inline script or style; the Swagger UI start script is a separate
request (drf-spectacular's ``SpectacularSwaggerSplitView``, ``?script``), and the Swagger UI files are
the self-hosted copies of ``drf-spectacular-sidecar``, served by :func:`docs_bestand` from a fixed list.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import drf_spectacular_sidecar
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template import engines
from django.urls import reverse
from drf_spectacular.plumbing import set_query_parameters
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

SWAGGER_UI_MAP = (
    Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist"
)
#: The only files served from the sidecar package.
BESTANDEN = ("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png")
_PAGINA = engines["django"].from_string((Path(__file__).parent / "docs.html").read_text(encoding="utf-8"))


class SchemaView(SpectacularAPIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    url_name = "api:schema"
    title = "Centraal Meldpunt — intake API v1"

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return reverse("api:docs_bestand", kwargs={"naam": filename})

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return reverse("api:docs_bestand", kwargs={"naam": "favicon-32x32.png"})

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("script") is not None:
            return super().get(request, *args, **kwargs)
        context = {
            "title": self.title,
            "favicon_href": self._swagger_ui_favicon(),
            "swagger_ui_css": self._swagger_ui_resource("swagger-ui.css"),
            "swagger_ui_bundle": self._swagger_ui_resource("swagger-ui-bundle.js"),
            "script_url": set_query_parameters(url=request.path, lang=request.GET.get("lang"), script=""),
        }
        return HttpResponse(_PAGINA.render(context, request._request))


def docs_bestand(request: HttpRequest, naam: str) -> FileResponse:
    if naam not in BESTANDEN:
        raise Http404
    content_type = mimetypes.guess_type(naam)[0] or "application/octet-stream"
    antwoord = FileResponse((SWAGGER_UI_MAP / naam).open("rb"), content_type=content_type)
    antwoord["Cache-Control"] = "public, max-age=86400"
    return antwoord
