from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    name = "weerbaar.framework"
    label = "framework"
    verbose_name = "Strategisch kader"

    def ready(self):
        from weerbaar.core.registry import (
            Export,
            board_sections,
            calendar_sources,
            dashboard_cards,
            demo_loaders,
            exports,
        )

        from .board import decisions
        from .calendar import subplan_reviews
        from .dashboard import framework_card
        from .demo import load_demo_documents, load_for_demo, load_register_demo

        dashboard_cards.register("framework", framework_card, order=10)
        board_sections.register("framework.decisions", decisions, order=10)
        calendar_sources.register("framework.subplans", subplan_reviews, order=35)
        # After the municipalities and users (core), before the register that refers to goals.
        demo_loaders.register("framework", load_for_demo, order=10)
        demo_loaders.register("framework-documents", load_demo_documents, order=20)
        # After the register (order 30): the scope step picks Demostad's assets from it.
        demo_loaders.register("framework-register", load_register_demo, order=35)
        for fmt, url_name, title in (
            ("docx", "framework:export_word", _("Strategisch kader (Word)")),
            ("pdf", "framework:export_pdf", _("Strategisch kader (PDF)")),
        ):
            exports.register(
                f"framework.{fmt}",
                Export(title=title, formats=(fmt,), url_name=url_name, app=self.label, needs=("number",)),
                order=10,
            )
