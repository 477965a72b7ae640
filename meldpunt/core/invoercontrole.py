"""Input hygiene for every text field of the forms, the API and uploaded files.

Refused, with one clear Dutch message:

* control characters (Unicode category Cc: NUL, ESC, DEL, C1 controls ...). Tab, line feed and carriage
  return are allowed only where the field may span lines (``meerregelig=True``);
* bidirectional formatting characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which make
  a text read differently from what it is (``"abc\u202edcba"``);
* a value that consists only of invisible characters (zero-width space, joiner, word joiner, BOM ...)
  and white space: it looks empty but is not.

The checks are one regular expression each, so a file of 100,000 rows pays almost nothing.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

BERICHT_BESTURING = "Gebruik geen onzichtbare besturingstekens (bijvoorbeeld tekens die de leesrichting omdraaien)."
BERICHT_LEEG = "Deze waarde bestaat alleen uit onzichtbare tekens."

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BESTURING_EENREGELIG = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_BESTURING_MEERREGELIG = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_ONZICHTBAAR = "\u00ad\u034f\u180e\u200b-\u200d\u2060-\u2064\ufeff"
_ALLEEN_ONZICHTBAAR = re.compile(f"[\\s{_ONZICHTBAAR}]+")


def tekst_fout(waarde: str, *, meerregelig: bool = False) -> str | None:
    """The Dutch message for what is wrong with ``waarde``, or None when it is clean."""
    patroon = _BESTURING_MEERREGELIG if meerregelig else _BESTURING_EENREGELIG
    if patroon.search(waarde):
        return BERICHT_BESTURING
    if waarde and _ALLEEN_ONZICHTBAAR.fullmatch(waarde):
        return BERICHT_LEEG
    return None


def schone_tekst(waarde: object) -> None:
    """Django validator for a single-line text field."""
    if isinstance(waarde, str) and (bericht := tekst_fout(waarde)):
        raise ValidationError(bericht, code="besturingsteken")


def schone_tekst_meerregelig(waarde: object) -> None:
    """Django validator for a text area: line breaks and tabs are allowed."""
    if isinstance(waarde, str) and (bericht := tekst_fout(waarde, meerregelig=True)):
        raise ValidationError(bericht, code="besturingsteken")
