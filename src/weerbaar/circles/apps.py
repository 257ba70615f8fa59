from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "weerbaar.circles"
    label = "circles"
    verbose_name = _("Leerkringen")

    def ready(self):
        from weerbaar.core.registry import NavItem, demo_loaders, nav_items

        from .demo import load_circles_demo

        nav_items.register("circles", NavItem(label=_("Leerkringen"), url_name="circles:index"), order=80)
        demo_loaders.register("circles", load_circles_demo, order=900)
