from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.risks.forms import RevisionField, RevisionMixin

from .models import FIRST_YEAR, TEXT_MAX_LENGTH, YearReport


def year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year, max(FIRST_YEAR, this_year - 10) - 1, -1)]


class BuildForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Verslagjaar"),
        coerce=int,
        choices=year_choices,
        error_messages={
            "required": _("Kies het jaar van het verslag."),
            "invalid_choice": _("Kies een jaar uit de lijst."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class TextsForm(RevisionMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = YearReport
        fields = ["foreword", "conclusions"]
        labels = {"foreword": _("Voorwoord"), "conclusions": _("Conclusies en aanbevelingen")}
        help_texts = {
            "foreword": _("Een inleiding voor het college: wat het jaar kenmerkte en wat u het bestuur vraagt."),
            "conclusions": _("Wat het bestuur uit dit jaar moet onthouden en wat u voor volgend jaar aanbeveelt."),
        }
        widgets = {"foreword": forms.Textarea(attrs={"rows": 8}), "conclusions": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
        for name in ("foreword", "conclusions"):
            self.fields[name].max_length = TEXT_MAX_LENGTH
            self.fields[name].error_messages["max_length"] = _(
                "Deze tekst is te lang: ten hoogste %(limit_value)s tekens."
            )
            self.fields[name].widget.attrs["maxlength"] = TEXT_MAX_LENGTH


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Datum besluit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de datum van het besluit in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-14."),
        },
    )
    decision_reference = forms.CharField(
        label=_("Kenmerk besluit"),
        max_length=100,
        error_messages={
            "required": _("Vul het kenmerk van het besluit in."),
            "max_length": _("Het kenmerk is te lang: ten hoogste %(limit_value)s tekens."),
        },
    )
    adopted_by_body = forms.CharField(
        label=_("Vastgesteld door"),
        max_length=200,
        initial=_("college van burgemeester en wethouders"),
        error_messages={
            "required": _("Vul in wie het jaarverslag heeft vastgesteld."),
            "max_length": _("Deze naam is te lang: ten hoogste %(limit_value)s tekens."),
        },
    )
