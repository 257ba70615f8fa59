from django.apps import AppConfig
from django.db import DatabaseError, transaction
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_catalogue(sender, **kwargs):
    # The catalogue of incident types is product content: present after every migrate.
    from .content import load_incident_types

    try:
        with transaction.atomic():
            load_incident_types()
    except DatabaseError:  # migrated back to before the table existed; the next migrate loads it
        return


class IncidentsConfig(AppConfig):
    name = "weerbaar.incidents"
    label = "incidents"
    verbose_name = _("Incidenten")

    def ready(self):
        from weerbaar.core.registry import (
            Export,
            NavItem,
            SearchDocuments,
            annual_report_sections,
            calendar_sources,
            dashboard_cards,
            demo_loaders,
            exports,
            nav_items,
            search_documents,
        )

        from . import registered, signals
        from .demo import load_for_demo

        signals.connect()

        post_migrate.connect(_load_catalogue, sender=self, dispatch_uid="incidents.load_catalogue")
        nav_items.register("incidents", NavItem(_("Incidenten"), "incidents:list", "incidents.view"), order=40)
        dashboard_cards.register("incidents", registered.incidents_card, order=40)
        calendar_sources.register("incidents", registered.calendar_entries, order=40)
        annual_report_sections.register("incidents", registered.report_section, order=50)
        demo_loaders.register("incidents", load_for_demo, order=50)
        search_documents.register(
            "incidents",
            SearchDocuments(
                title=_("Incidenten"),
                app=self.label,
                search=registered.search,
                fields=("reference", "title", "description", "place"),
            ),
            order=40,
        )
        exports.register(
            "incidents.register",
            Export(
                title=_("Incidentenregister (Excel)"),
                formats=("xlsx",),
                url_name="incidents:export",
                app=self.label,
                description=_("De incidenten die u mag zien, met hun externe meldingen."),
            ),
            order=40,
        )
