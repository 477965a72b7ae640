"""Fictitious personal data used by the tests.

The last test of the run (``tests/test_zz_logs_zonder_persoonsgegevens.py``) scans every log line of the
run for these values: none may appear in a log, an error page or a task argument.
"""

from __future__ import annotations

import datetime as dt

from meldingen.demo import DEMO_PERSOONSGEGEVENS

ACHTERNAAM = "Van der Zwaluwstaart"
VOORNAMEN = "Pieternella Geertruida"
GEBOORTEDATUM = dt.date(1980, 5, 17)
STRAAT = "Ouddiemerlaan"
HUISNUMMER = 104
POSTCODE = "1111 AB"
TELEFOON = "0612345678"
EMAIL = "p.zwaluwstaart@example.nl"

#: Strings that must never show up in log output: the test data above and the demo households.
VERBODEN_IN_LOGS = [
    ACHTERNAAM,
    "Zwaluwstaart",
    VOORNAMEN,
    "Pieternella",
    STRAAT,
    TELEFOON,
    EMAIL,
    *DEMO_PERSOONSGEGEVENS,
]


def huurder() -> dict[str, object]:
    return {
        "achternaam": ACHTERNAAM,
        "voornamen": VOORNAMEN,
        "geboortedatum": GEBOORTEDATUM.isoformat(),
        "telefoon": TELEFOON,
        "email": EMAIL,
        "adres": {"straat": STRAAT, "huisnummer": HUISNUMMER, "postcode": POSTCODE, "woonplaats": "Diemen"},
    }
