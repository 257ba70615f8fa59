"""Incidenten."""
