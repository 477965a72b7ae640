"""Models of the facturatie app."""
