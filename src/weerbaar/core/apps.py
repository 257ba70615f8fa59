from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "weerbaar.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self):
        from . import audit

        audit.connect_signals()
