"""The single error type raised by services (HackSoft styleguide)."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A business rule refused the operation.

    ``message`` is a Dutch sentence fit for the user. ``extra`` optionally maps field names to lists of
    Dutch messages so forms and the API can show them per field.
    """

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

    def field_errors(self) -> dict[str, list[str]]:
        return {key: value if isinstance(value, list) else [value] for key, value in self.extra.items()}
