from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "weerbaar.cycle"
    label = "cycle"
    verbose_name = _("Jaarplan en controles")

    def ready(self):
        from weerbaar.core.registry import (
            Export,
            NavItem,
            annual_report_sections,
            calendar_sources,
            dashboard_cards,
            demo_loaders,
            exports,
            nav_items,
        )

        from .calendar import calendar_entries
        from .dashboard import cycle_card
        from .demo import load_for_demo
        from .report import annual_report_section

        demo_loaders.register("cycle", load_for_demo, order=40)
        nav_items.register("cycle", NavItem(_("Jaarplan en controles"), "cycle:plan", "cycle.view"), order=30)
        dashboard_cards.register("cycle", cycle_card, order=30)
        calendar_sources.register("cycle", calendar_entries, order=30)
        # Last of the chapters: it ends with the plan for next year.
        annual_report_sections.register("cycle", annual_report_section, order=70)
        exports.register(
            "cycle.xlsx",
            Export(
                title=_("Jaarplan en acties (Excel)"),
                formats=("xlsx",),
                url_name="cycle:export",
                app=self.label,
                description=_("Alle acties van alle jaren, met eigenaar, uiterste datum, status en koppelingen."),
            ),
            order=30,
        )
