from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SoaConfig(AppConfig):
    name = "weerbaar.soa"
    label = "soa"
    verbose_name = _("Verklaring van toepasselijkheid (BIO2)")

    def ready(self):
        from weerbaar.core.registry import Export, NavItem, demo_loaders, exports, nav_items

        from .demo import ensure_catalogue, load_for_demo

        nav_items.register("soa", NavItem(_("Verklaring van toepasselijkheid"), "soa:statement", "soa.view"), order=60)
        # The catalogue before the register's demo (its measures carry BIO2 numbers).
        demo_loaders.register("soa-catalogue", ensure_catalogue, order=25)
        demo_loaders.register("soa", load_for_demo, order=45)
        exports.register(
            "soa.statement",
            Export(
                title=_("Verklaring van toepasselijkheid (Excel)"),
                formats=("xlsx",),
                url_name="soa:export",
                app=self.label,
                description=_(
                    "Per BIO2-overheidsmaatregel: van toepassing of niet met reden, eigen maatregelen en status."
                ),
            ),
            order=40,
        )
