from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "weerbaar.agenda"
    label = "agenda"
    verbose_name = _("Kalender en herinneringen")

    def ready(self):
        from weerbaar.core.registry import NavItem, calendar_sources, demo_loaders, nav_items

        from . import sources
        from .demo import load_for_demo

        nav_items.register("agenda", NavItem(_("Kalender"), "agenda:calendar", "agenda.view"), order=70)
        calendar_sources.register("ensia", sources.ensia_dates, order=10)
        calendar_sources.register("planning", sources.planning_moments, order=20)
        calendar_sources.register("framework_review", sources.framework_review, order=30)
        calendar_sources.register("risks", sources.risk_dates, order=40)
        demo_loaders.register("agenda", load_for_demo, order=90)
