"""Issue 15 item 10: control characters, bidi overrides and invisible-only values are refused centrally."""

from __future__ import annotations

import pytest
from django import forms

from meldpunt.core.forms import MeldpuntForm
from meldpunt.core.invoercontrole import BERICHT_BESTURING, BERICHT_LEEG, tekst_fout

SLECHT = [
    ("Jansen\x00", BERICHT_BESTURING),
    ("Jan\x1b[31msen", BERICHT_BESTURING),
    ("Jan\x7fsen", BERICHT_BESTURING),
    ("Jan\x85sen", BERICHT_BESTURING),
    ("RC-1\u202e321", BERICHT_BESTURING),  # right-to-left override
    ("RC-\u2066123\u2069", BERICHT_BESTURING),  # isolates
    ("\u200f", BERICHT_BESTURING),
    ("\u200b", BERICHT_LEEG),
    ("\u200b\u200d \ufeff", BERICHT_LEEG),
    ("\u2060", BERICHT_LEEG),
]


@pytest.mark.parametrize(("waarde", "bericht"), SLECHT)
def test_bad_text_is_refused(waarde, bericht):
    assert tekst_fout(waarde) == bericht


@pytest.mark.parametrize("waarde", ["Jansen", "Bérénice d'Ancona", "Øster-Ünal", "", "Ĳsselmeer", "Jan\u200dsen"])
def test_ordinary_text_passes(waarde):
    assert tekst_fout(waarde) is None


def test_line_breaks_only_in_a_text_area():
    assert tekst_fout("regel 1\nregel 2") == BERICHT_BESTURING
    assert tekst_fout("regel 1\r\n\tregel 2", meerregelig=True) is None
    assert tekst_fout("regel\x00", meerregelig=True) == BERICHT_BESTURING


class Voorbeeld(MeldpuntForm):
    naam = forms.CharField()
    toelichting = forms.CharField(widget=forms.Textarea, required=False)
    wachtwoord = forms.CharField(widget=forms.PasswordInput, required=False)


def test_every_form_refuses_it_per_field():
    form = Voorbeeld({"naam": "Jan\u202esen", "toelichting": "a\nb\x00"})
    assert not form.is_valid()
    assert form.errors["naam"] == [BERICHT_BESTURING]
    assert BERICHT_BESTURING in form.errors["toelichting"]
    form = Voorbeeld({"naam": "\u200b"})
    assert form.errors["naam"] == [BERICHT_LEEG]
    assert Voorbeeld({"naam": "Jansen", "toelichting": "a\nb", "wachtwoord": "x\x01"}).is_valid()
