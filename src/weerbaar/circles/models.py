"""Leerkringen."""
