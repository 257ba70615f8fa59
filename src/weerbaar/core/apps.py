from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "weerbaar.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self):
        from . import audit

        audit.connect_signals()
        _plain_empty_choice()


def _plain_empty_choice():
    """Select lists start with "— kies —" instead of Django's "---------" (which screen readers
    read as a row of dashes). Django has no setting for it: the two defaults it uses are set here,
    once, for model choices and foreign-key pickers alike."""
    from django.db.models import fields
    from django.forms import models as form_models

    fields.BLANK_CHOICE_DASH[:] = [("", _("— kies —"))]
    form_models.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = _("— kies —")
