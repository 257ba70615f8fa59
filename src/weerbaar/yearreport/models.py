"""Jaarverslag integrale beveiliging."""
