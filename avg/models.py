"""Models of the avg app."""
