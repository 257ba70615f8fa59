"""Rendering to Word, PDF and Excel, shared by every app."""
