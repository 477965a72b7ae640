"""Models of the datalekken app."""
