from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfscanConfig(AppConfig):
    name = "weerbaar.selfscan"
    label = "selfscan"
    verbose_name = _("Zelfscan volwassenheid")

    def ready(self):
        pass
