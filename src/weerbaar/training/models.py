"""Opleiden, trainen, oefenen en testen."""
