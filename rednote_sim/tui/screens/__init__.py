"""Modal screens: help, go-to-time."""
