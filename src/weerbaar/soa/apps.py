from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SoaConfig(AppConfig):
    name = "weerbaar.soa"
    label = "soa"
    verbose_name = _("Verklaring van toepasselijkheid (BIO2)")

    def ready(self):
        pass
