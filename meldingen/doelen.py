"""The purposes (``LogRegel.doel``) under which the meldingen app processes personal data.

One definition each: the Logboek is searched and reported by these texts, so they never change.
"""

from __future__ import annotations

#: The Partner submits and follows its meldingen (intake: form, file, API; the Partner's list and detail).
DOEL_INTAKE = "vroegsignalering huurachterstand"
#: The Uitvoerder works the dossier (caseload, rapportage, consent).
DOEL_UITVOERING = "uitvoering vroegsignalering"
#: The Gemeente reads what the tenant consented to share.
DOEL_GEMEENTE = "inzage gemeente met toestemming van de huurder"
#: The information duty of art. 14 AVG.
DOEL_INFORMATIEPLICHT = "informatieplicht art. 14 AVG"
#: The contactpunt handles a data-subject request (restriction, objection).
DOEL_AVG_VERZOEK = "afhandeling AVG-verzoek"
#: Retention: ending access at each party's term and destroying personal data when the last has passed.
DOEL_BEWARING = "bewaartermijn en vernietiging"
