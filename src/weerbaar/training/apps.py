from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "weerbaar.training"
    label = "training"
    verbose_name = _("Opleiden, trainen, oefenen en testen")

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

        from .demo import load_for_demo
        from .hooks import calendar_entries, report_section, training_card

        nav_items.register("training", NavItem(_("Opleiden en oefenen"), "training:plan", "training.view"), order=60)
        calendar_sources.register("training", calendar_entries, order=60)
        annual_report_sections.register("training", report_section, order=60)
        dashboard_cards.register("training", training_card, order=60)
        demo_loaders.register("training", load_for_demo, order=60)
        exports.register(
            "training.plan",
            Export(
                title=_("Opleidings- en oefenplan (Excel)"),
                formats=("xlsx",),
                url_name="training:export",
                app=self.label,
                description=_("Doelgroepen, activiteiten, data en deelname, één blad per onderdeel."),
            ),
            order=60,
        )
