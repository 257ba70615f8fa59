from django import forms
from django.utils.translation import gettext_lazy as _

from . import catalogue, selectors
from .models import REASON_MAX_LENGTH, Applicability
from .services import NEW


class ApplicabilityForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Is deze maatregel van toepassing op uw gemeente?"),
        choices=Applicability.Decision.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reden"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Verplicht als de maatregel niet van toepassing is: waarom niet, bijvoorbeeld de uitkomst van een "
            "risicoanalyse. Bij 'van toepassing' mag u een toelichting geven."
        ),
    )
    revision = forms.IntegerField(required=False, min_value=NEW, max_value=2**31 - 1, widget=forms.HiddenInput)

    def carry_revision(self, revision: int) -> None:
        self.data = self.data.copy()
        self.data["revision"] = str(revision)


class StatementFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    hoofdstuk = forms.ChoiceField(
        label=_("Hoofdstuk"), required=False, choices=[("", _("Alle"))] + list(catalogue.CHAPTERS.items())
    )
    beoordeling = forms.ChoiceField(
        label=_("Toepasselijkheid"),
        required=False,
        choices=[
            ("", _("Alle")),
            (selectors.OPEN, _("nog niet beoordeeld")),
            (selectors.APPLICABLE, _("van toepassing")),
            (selectors.NOT_APPLICABLE, _("niet van toepassing")),
        ],
    )
    invoering = forms.ChoiceField(
        label=_("Invoering"),
        required=False,
        choices=[
            ("", _("Alle")),
            (selectors.GAP, _("van toepassing, zonder maatregel")),
            (selectors.NO_MEASURE, _("geen maatregel")),
            (selectors.PLANNED, _("gepland of in uitvoering")),
            (selectors.EFFECTIVE, _("ingevoerd")),
        ],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "chapter": data.get("hoofdstuk", ""),
            "decision": data.get("beoordeling", ""),
            "implementation": data.get("invoering", ""),
            "query": data.get("q", ""),
        }


class ChapterForm(forms.Form):
    hoofdstuk = forms.ChoiceField(choices=list(catalogue.CHAPTERS.items()), widget=forms.HiddenInput)
