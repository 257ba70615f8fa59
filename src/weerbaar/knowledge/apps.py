from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "weerbaar.knowledge"
    label = "knowledge"
    verbose_name = _("Kennisbank")

    def ready(self):
        from weerbaar.core.registry import SearchDocuments, demo_loaders, search_documents

        from . import search
        from .demo import load_for_demo

        # Last: the example is offered by Demostad's coordinator, after everything else exists.
        demo_loaders.register("knowledge", load_for_demo, order=40)
        search_documents.register(
            "knowledge",
            SearchDocuments(
                title=_("Kennisbank"),
                app=self.label,
                search=search.search,
                fields=("title", "body"),
            ),
            order=10,
        )
