"""Verklaring van toepasselijkheid (BIO2)."""
