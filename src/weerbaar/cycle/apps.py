from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "weerbaar.cycle"
    label = "cycle"
    verbose_name = _("Jaarplan en controles")

    def ready(self):
        from weerbaar.core.registry import demo_loaders

        from .demo import load_for_demo

        demo_loaders.register("cycle", load_for_demo, order=40)
