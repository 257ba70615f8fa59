from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "weerbaar.risks"
    label = "risks"
    verbose_name = _("Risico's en maatregelen")

    def ready(self):
        from weerbaar.core.registry import Export, board_sections, dashboard_cards, demo_loaders, exports

        from .board import measures_and_budget, risk_picture
        from .dashboard import risks_card
        from .demo import load_for_demo
        from .summary import connect as connect_overlap_summary

        connect_overlap_summary()

        dashboard_cards.register("risks", risks_card, order=20)
        board_sections.register("risks.picture", risk_picture, order=20)
        board_sections.register("risks.measures", measures_and_budget, order=30)
        demo_loaders.register("risks", load_for_demo, order=30)
        exports.register(
            "risks.register",
            Export(
                title=_("Register (Excel)"),
                formats=("xlsx",),
                url_name="risks:export",
                app=self.label,
                description=_(
                    "Bedrijfsmiddelen, risico's, maatregelen, dreigingen en conflicten, één blad per register."
                ),
            ),
            order=20,
        )
