"""Forms of the yearly plan and the checks: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks.forms import DATE, TEXT_MAX_LENGTH, RevisionField, RevisionMixin, ThemesField, _theme_queryset
from weerbaar.risks.models import Asset, Measure, Risk

from .models import Action, Check, Finding
from .services import SETTABLE_STATUSES


def _textarea(rows: int):
    return forms.Textarea(attrs={"rows": rows})


MULTI_HELP = _("Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen.")


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} ({obj.get_role_display()})"


def _owner_field(label, required=False, help_text=""):
    return OwnerField(
        label=label,
        queryset=Theme.objects.none(),
        required=required,
        empty_label=_("— niemand gekozen —"),
        help_text=help_text,
    )


def _members(organisation):
    from weerbaar.core.models import Membership

    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__full_name")


def _rows_field(label, model):
    """Several rows of the municipality's register (measures, risks, assets), in a list box."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=MULTI_HELP,
    )


def _reference_field():
    return forms.CharField(
        label=_("Kenmerk"), required=False, max_length=20, help_text=_("Leeg laten: Weerbaar kiest een kenmerk.")
    )


class CycleForm(RevisionMixin, forms.Form):
    """An edit form of the plan or the checks: its fields are named as the model's fields.

    The choices of the municipality's own rows (owner, measures, risks, assets) and of the
    themes this member may use are set per request; ``initial_for`` reads a saved row back.
    """

    def __init__(self, *args, organisation=None, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        querysets = {
            "owner": lambda: _members(organisation),
            "measures": lambda: Measure.objects.filter(organisation=organisation).order_by("reference"),
            "risks": lambda: Risk.objects.filter(organisation=organisation).order_by("reference"),
            "assets": lambda: Asset.objects.filter(organisation=organisation).order_by("name"),
            "themes": lambda: _theme_queryset(membership),
        }
        for name, queryset in querysets.items():
            if name in self.fields:
                self.fields[name].queryset = queryset()

    @classmethod
    def initial_for(cls, obj) -> dict:
        """The form's values for a saved row (links as lists), for editing and the difference table."""
        return {
            name: list(getattr(obj, name).all())
            if isinstance(field, forms.ModelMultipleChoiceField)
            else getattr(obj, name)
            for name, field in cls.base_fields.items()
        }

    def service_kwargs(self) -> dict:
        data, data["expected_revision"] = self.pop_revision()
        return data


class ActionForm(CycleForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Omschrijving"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(3)
    )
    year = forms.IntegerField(
        label=_("Jaar van het jaarplan"), min_value=2000, max_value=2100, help_text=_("Bijvoorbeeld 2026.")
    )
    owner = _owner_field(
        _("Eigenaar"), help_text=_("Wie zorgt dat de actie wordt uitgevoerd? Die krijgt herinneringen.")
    )
    due_date = forms.DateField(label=_("Uiterste datum"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=[(s.value, s.label) for s in SETTABLE_STATUSES])
    themes = ThemesField(required=False, help_text=_("Thema-experts maken acties binnen hun eigen thema's."))
    measures = _rows_field(_("Maatregelen"), Measure)
    risks = _rows_field(_("Risico's"), Risk)
    goals = forms.ModelMultipleChoiceField(
        label=_("Beveiligingsdoelen"),
        queryset=SecurityGoal.objects.order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reference = _reference_field()
    revision = RevisionField()


class ActionFilterForm(forms.Form):
    jaar = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    thema = forms.ModelChoiceField(
        label=_("Thema"), queryset=Theme.objects.order_by("order", "name"), required=False, empty_label=_("Alle")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle")), ("open", _("Nog open")), *Action.Status.choices]
    )
    te_laat = forms.BooleanField(label=_("Alleen te laat"), required=False)
    sorteer = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[
            ("datum", _("Uiterste datum")),
            ("-datum", _("Uiterste datum, laatste eerst")),
            ("kenmerk", _("Kenmerk")),
            ("titel", _("Titel")),
            ("status", _("Status")),
        ],
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in SETTABLE_STATUSES])
    revision = RevisionField()


class CheckForm(CycleForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Soort controle"), choices=Check.Kind.choices)
    date = forms.DateField(label=_("Datum"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=Check.Status.choices, initial=Check.Status.DONE)
    performed_by = forms.CharField(
        label=_("Uitgevoerd door"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld team control of het auditbureau."),
    )
    owner = _owner_field(_("Verantwoordelijke"))
    summary = forms.CharField(
        label=_("Opzet en uitkomst"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(4)
    )
    themes = ThemesField(required=False, label=_("Reikwijdte: thema's"))
    measures = _rows_field(_("Reikwijdte: maatregelen"), Measure)
    assets = _rows_field(_("Reikwijdte: bedrijfsmiddelen"), Asset)
    reference = _reference_field()
    revision = RevisionField()


class CheckFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    soort = forms.ChoiceField(label=_("Soort"), required=False, choices=[("", _("Alle")), *Check.Kind.choices])
    jaar = forms.IntegerField(label=_("Jaar"), required=False, min_value=2000, max_value=2100)


class FindingForm(CycleForm):
    title = forms.CharField(label=_("Bevinding"), max_length=200)
    severity = forms.TypedChoiceField(label=_("Ernst"), coerce=int, choices=Finding.Severity.choices, initial=2)
    description = forms.CharField(
        label=_("Toelichting"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(4)
    )
    revision = RevisionField()


class FindingFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    ernst = forms.TypedChoiceField(
        label=_("Ernst"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle")), *Finding.Severity.choices],
    )
    opvolging = forms.ChoiceField(
        label=_("Opvolging"),
        required=False,
        choices=[("", _("Alle")), ("open", _("Nog niet opgevolgd")), ("opgevolgd", _("Opgevolgd"))],
    )


class FindingRiskLinkForm(forms.Form):
    risk = forms.ModelChoiceField(
        label=_("Bestaand risico"), queryset=Risk.objects.none(), empty_label=_("— kies een risico —")
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = Risk.objects.filter(organisation=organisation).order_by("reference")


class DeviationForm(CycleForm):
    title = forms.CharField(label=_("Afwijking"), max_length=200)
    reason = forms.CharField(label=_("Reden van acceptatie"), max_length=TEXT_MAX_LENGTH, widget=_textarea(4))
    accepted_by = forms.CharField(
        label=_("Geaccepteerd door"),
        max_length=200,
        help_text=_("Bijvoorbeeld de gemeentesecretaris of het college."),
    )
    owner = _owner_field(_("Eigenaar"), required=True)
    expires_on = forms.DateField(
        label=_("Geldig tot"), widget=DATE, help_text=_("Daarna beoordeelt de eigenaar de afwijking opnieuw.")
    )
    themes = ThemesField(required=False)
    measures = _rows_field(_("Maatregelen waarvan wordt afgeweken"), Measure)
    ended = forms.BooleanField(label=_("Beëindigd (de afwijking bestaat niet meer)"), required=False)
    reference = _reference_field()
    revision = RevisionField()


class DeviationFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    stand = forms.ChoiceField(
        label=_("Stand"),
        required=False,
        choices=[("", _("Alle")), ("geldig", _("Geldig")), ("verlopen", _("Verlopen")), ("beeindigd", _("Beëindigd"))],
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excelbestand (.xlsx)"))
