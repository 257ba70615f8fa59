from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "weerbaar.training"
    label = "training"
    verbose_name = _("Opleiden, trainen, oefenen en testen")

    def ready(self):
        pass
