"""Serve selected files from node_modules as static files.

Only the files the templates use are exposed (not whole package folders): some npm packages ship
stylesheets that reference files they do not contain, which the hashed production storage refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def _entries() -> Iterator[tuple[str, Path]]:
    for static_path, source in settings.MELDPUNT_NPM_STATIC_FILES.items():
        yield static_path, Path(settings.BASE_DIR) / "node_modules" / source


class NpmFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[Any]:
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        matches = [str(source) for static_path, source in _entries() if static_path == path and source.exists()]
        if find_all:
            return matches
        return matches[0] if matches else None

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for static_path, source in _entries():
            if source.exists():
                prefix, _, name = static_path.rpartition("/")
                storage = FileSystemStorage(location=str(source.parent))
                storage.prefix = prefix  # type: ignore[attr-defined]  # staticfiles reads prefix
                if source.name != name:
                    raise ValueError(f"{static_path} must keep the file name of {source}")
                yield name, storage
