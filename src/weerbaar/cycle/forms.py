"""Forms of the yearly plan and the checks: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.knowledge.models import SecurityGoal, Theme
from weerbaar.risks.forms import DATE, TEXT_MAX_LENGTH, RevisionField, RevisionMixin, ThemesField, _theme_queryset
from weerbaar.risks.models import Asset, Measure, Risk

from .models import Action, Check, Deviation, Finding
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


class ActionForm(RevisionMixin, forms.Form):
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
    measures = forms.ModelMultipleChoiceField(
        label=_("Maatregelen"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=MULTI_HELP,
    )
    risks = forms.ModelMultipleChoiceField(
        label=_("Risico's"),
        queryset=Risk.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=MULTI_HELP,
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Beveiligingsdoelen"),
        queryset=SecurityGoal.objects.order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reference = forms.CharField(
        label=_("Kenmerk"), required=False, max_length=20, help_text=_("Leeg laten: Weerbaar kiest een kenmerk.")
    )
    revision = RevisionField()

    def __init__(self, *args, organisation, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _members(organisation)
        self.fields["measures"].queryset = Measure.objects.filter(organisation=organisation).order_by("reference")
        self.fields["risks"].queryset = Risk.objects.filter(organisation=organisation).order_by("reference")
        self.fields["themes"].queryset = _theme_queryset(membership)

    @staticmethod
    def initial_for(action: Action) -> dict:
        return {
            "title": action.title,
            "description": action.description,
            "year": action.year,
            "owner": action.owner,
            "due_date": action.due_date,
            "status": action.status,
            "themes": list(action.themes.all()),
            "measures": list(action.measures.all()),
            "risks": list(action.risks.all()),
            "goals": list(action.goals.all()),
            "reference": action.reference,
            "revision": action.revision,
        }

    def service_kwargs(self) -> dict:
        data, data["expected_revision"] = self.pop_revision()
        return data


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


class CheckForm(RevisionMixin, forms.Form):
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
    measures = forms.ModelMultipleChoiceField(
        label=_("Reikwijdte: maatregelen"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=MULTI_HELP,
    )
    assets = forms.ModelMultipleChoiceField(
        label=_("Reikwijdte: bedrijfsmiddelen"),
        queryset=Asset.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=MULTI_HELP,
    )
    reference = forms.CharField(
        label=_("Kenmerk"), required=False, max_length=20, help_text=_("Leeg laten: Weerbaar kiest een kenmerk.")
    )
    revision = RevisionField()

    def __init__(self, *args, organisation, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _members(organisation)
        self.fields["measures"].queryset = Measure.objects.filter(organisation=organisation).order_by("reference")
        self.fields["assets"].queryset = Asset.objects.filter(organisation=organisation).order_by("name")
        self.fields["themes"].queryset = _theme_queryset(membership)

    @staticmethod
    def initial_for(check: Check) -> dict:
        return {
            "title": check.title,
            "kind": check.kind,
            "date": check.date,
            "status": check.status,
            "performed_by": check.performed_by,
            "owner": check.owner,
            "summary": check.summary,
            "themes": list(check.themes.all()),
            "measures": list(check.measures.all()),
            "assets": list(check.assets.all()),
            "reference": check.reference,
            "revision": check.revision,
        }

    def service_kwargs(self) -> dict:
        data, data["expected_revision"] = self.pop_revision()
        return data


class CheckFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    soort = forms.ChoiceField(label=_("Soort"), required=False, choices=[("", _("Alle")), *Check.Kind.choices])
    jaar = forms.IntegerField(label=_("Jaar"), required=False, min_value=2000, max_value=2100)


class FindingForm(RevisionMixin, forms.Form):
    title = forms.CharField(label=_("Bevinding"), max_length=200)
    severity = forms.TypedChoiceField(label=_("Ernst"), coerce=int, choices=Finding.Severity.choices, initial=2)
    description = forms.CharField(
        label=_("Toelichting"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(4)
    )
    revision = RevisionField()

    @staticmethod
    def initial_for(finding: Finding) -> dict:
        return {
            "title": finding.title,
            "severity": finding.severity,
            "description": finding.description,
            "revision": finding.revision,
        }

    def service_kwargs(self) -> dict:
        data, data["expected_revision"] = self.pop_revision()
        return data


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


class DeviationForm(RevisionMixin, forms.Form):
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
    measures = forms.ModelMultipleChoiceField(
        label=_("Maatregelen waarvan wordt afgeweken"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=MULTI_HELP,
    )
    ended = forms.BooleanField(label=_("Beëindigd (de afwijking bestaat niet meer)"), required=False)
    reference = forms.CharField(
        label=_("Kenmerk"), required=False, max_length=20, help_text=_("Leeg laten: Weerbaar kiest een kenmerk.")
    )
    revision = RevisionField()

    def __init__(self, *args, organisation, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _members(organisation)
        self.fields["measures"].queryset = Measure.objects.filter(organisation=organisation).order_by("reference")
        self.fields["themes"].queryset = _theme_queryset(membership)

    @staticmethod
    def initial_for(deviation: Deviation) -> dict:
        return {
            "title": deviation.title,
            "reason": deviation.reason,
            "accepted_by": deviation.accepted_by,
            "owner": deviation.owner,
            "expires_on": deviation.expires_on,
            "themes": list(deviation.themes.all()),
            "measures": list(deviation.measures.all()),
            "ended": deviation.ended,
            "reference": deviation.reference,
            "revision": deviation.revision,
        }

    def service_kwargs(self) -> dict:
        data, data["expected_revision"] = self.pop_revision()
        return data


class DeviationFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    stand = forms.ChoiceField(
        label=_("Stand"),
        required=False,
        choices=[("", _("Alle")), ("geldig", _("Geldig")), ("verlopen", _("Verlopen")), ("beeindigd", _("Beëindigd"))],
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excelbestand (.xlsx)"))
