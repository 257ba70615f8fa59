"""Zelfscan volwassenheid."""
