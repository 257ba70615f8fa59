from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "weerbaar.agenda"
    label = "agenda"
    verbose_name = _("Kalender en herinneringen")

    def ready(self):
        pass
