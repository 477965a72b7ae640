"""Models of the meldingen app."""
