from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfscanConfig(AppConfig):
    name = "weerbaar.selfscan"
    label = "selfscan"
    verbose_name = _("Zelfscan volwassenheid")

    def ready(self):
        from weerbaar.core.registry import (
            NavItem,
            annual_report_sections,
            bio2_references,
            dashboard_cards,
            demo_loaders,
            nav_items,
        )

        from . import integration
        from .demo import load_for_demo

        nav_items.register(
            "selfscan", NavItem(label=_("Zelfscan"), url_name="selfscan:index", rule="selfscan.view"), order=60
        )
        dashboard_cards.register("selfscan", integration.dashboard_card, order=60)
        annual_report_sections.register("selfscan", integration.annual_report_section, order=60)
        bio2_references.register("selfscan", integration.bio2_references)
        # After the risk register and the yearly plan: the demo rounds point at nothing else.
        demo_loaders.register("selfscan", load_for_demo, order=80)
