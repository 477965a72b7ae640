"""The purpose under which the datalekken app processes personal data (``LogRegel.doel``; never changes)."""

DOEL_DATALEK = "afhandeling datalek"
