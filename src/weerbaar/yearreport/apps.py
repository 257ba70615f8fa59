from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearreportConfig(AppConfig):
    name = "weerbaar.yearreport"
    label = "yearreport"
    verbose_name = _("Jaarverslag integrale beveiliging")

    def ready(self):
        from weerbaar.core.registry import (
            Export,
            NavItem,
            annual_report_sections,
            board_sections,
            demo_loaders,
            exports,
            nav_items,
        )

        from .board import yearly_report
        from .chapters import SECTIONS
        from .demo import load_for_demo

        # This app's own chapters come first; the other apps register theirs with higher orders.
        for identifier, section, order in SECTIONS:
            annual_report_sections.register(identifier, section, order=order)
        board_sections.register("yearreport.decisions", yearly_report, order=15)
        nav_items.register("yearreport", NavItem(_("Jaarverslag"), "yearreport:list", "yearreport.view"), order=90)
        # After every other app's demo data: the adopted report freezes their chapters.
        demo_loaders.register("yearreport", load_for_demo, order=90)
        for fmt, url_name, title in (
            ("docx", "yearreport:word", _("Jaarverslag integrale beveiliging (Word)")),
            ("pdf", "yearreport:pdf", _("Jaarverslag integrale beveiliging (PDF)")),
        ):
            exports.register(
                f"yearreport.{fmt}",
                Export(title=title, formats=(fmt,), url_name=url_name, app=self.label, needs=("pk",)),
                order=90,
            )
