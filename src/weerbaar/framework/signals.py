"""Signals other apps listen to, so the framework never imports them.

``version_adopted`` is sent inside the adoption's transaction with ``version`` (the newly
adopted version) and ``previous`` (the version it replaces as the effective one, or ``None``).
A receiver moves what it links to the framework and returns a list of report rows (dicts with
``kind``, ``object`` and ``item``) for links that have no counterpart in the new version.
"""

from django.dispatch import Signal

version_adopted = Signal()
