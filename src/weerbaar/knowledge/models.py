"""The shared knowledge base. Themes are national content, read by every municipality."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(_("naam"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(_("samenvatting"), blank=True)
    body = models.TextField(_("inleiding"), blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self):
        return self.name
