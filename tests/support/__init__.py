"""Helpers shared by tests: translation stubs, the tiny real Argos package builder."""
