"""Kalender en herinneringen."""
