from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearreportConfig(AppConfig):
    name = "weerbaar.yearreport"
    label = "yearreport"
    verbose_name = _("Jaarverslag integrale beveiliging")

    def ready(self):
        pass
