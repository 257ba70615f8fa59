from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "weerbaar.risks"
    label = "risks"
    verbose_name = _("Risico's en maatregelen")

    def ready(self):
        from weerbaar.core.dashboard import register

        from .dashboard import risks_card

        register("risks", 20, risks_card)
