"""Forms of the incident register: they parse input; the services decide and validate."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership
from weerbaar.knowledge.models import Theme
from weerbaar.risks.forms import DATE, TEXT_MAX_LENGTH, RevisionField, RevisionMixin, ThemesField, _theme_queryset
from weerbaar.risks.models import Asset, LocalThreat, Measure, Risk, Threat

from . import selectors
from .models import ExternalReport, Incident, IncidentType, LocalIncidentType, ReportKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


def _textarea(rows: int):
    return forms.Textarea(attrs={"rows": rows})


class DateTimeField(forms.DateTimeField):
    default_error_messages = {"invalid": _("Geef een datum en tijd, bijvoorbeeld 2026-03-31 14:30.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DATETIME)
        kwargs.setdefault("input_formats", DATETIME_FORMATS)
        super().__init__(**kwargs)


def _member_label(m: Membership) -> str:
    return f"{m.user.get_full_name() or m.user.email} ({m.get_role_display()})"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _member_label(obj)


class IncidentForm(RevisionMixin, forms.Form):
    title = forms.CharField(label=_("Korte omschrijving"), max_length=200)
    occurred_at = DateTimeField(label=_("Datum en tijd"))
    discovered_at = DateTimeField(
        label=_("Ontdekt op"),
        required=False,
        help_text=_("Leeg laten als het meteen is ontdekt. De termijnen voor meldingen lopen vanaf dit moment."),
    )
    incident_type = forms.ChoiceField(label=_("Soort incident"))
    themes = ThemesField(help_text=_("Een incident kan bij meer thema's horen."))
    severity = forms.TypedChoiceField(
        label=_("Ernst"), coerce=int, choices=Incident.Severity.choices, initial=Incident.Severity.LIMITED
    )
    place = forms.CharField(
        label=_("Plaats"), max_length=200, required=False, help_text=_("Bijvoorbeeld: Stadhuis, publiekshal.")
    )
    description = forms.CharField(
        label=_("Wat is er gebeurd?"), max_length=TEXT_MAX_LENGTH, required=False, widget=_textarea(4)
    )
    immediate_actions = forms.CharField(
        label=_("Wat is direct gedaan?"), max_length=TEXT_MAX_LENGTH, required=False, widget=_textarea(3)
    )
    assets = forms.ModelMultipleChoiceField(
        label=_("Betrokken bedrijfsmiddelen"),
        queryset=Asset.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen."),
    )
    threat = forms.ChoiceField(label=_("Dreiging"), required=False)
    confidential = forms.BooleanField(
        label=_("Vertrouwelijk"),
        required=False,
        help_text=_("Voor incidenten over integriteit of personen. Alleen de coördinator en de behandelaars zien het."),
    )
    handlers = MemberChoiceField(
        label=_("Behandelaars"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Status"), choices=Incident.Status.choices, initial=Incident.Status.OPEN)
    revision = RevisionField()

    def __init__(self, *args, organisation, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = _theme_queryset(membership)
        self.fields["assets"].queryset = Asset.objects.filter(organisation=organisation).order_by("name")
        self.fields["handlers"].queryset = (
            Membership.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        self.fields["incident_type"].choices = [("", _("— kies —")), *selectors.type_choices(organisation=organisation)]
        catalogue = list(Threat.objects.order_by("-deliberate", "order", "name"))
        own = list(LocalThreat.objects.filter(organisation=organisation).order_by("name"))
        self.fields["threat"].choices = [
            ("", _("— geen dreiging gekozen —")),
            (_("Catalogus"), [(f"c{t.pk}", t.name) for t in catalogue]),
        ] + ([(_("Eigen dreigingen"), [(f"e{t.pk}", t.name) for t in own])] if own else [])
        self._threats = {f"c{t.pk}": t for t in catalogue} | {f"e{t.pk}": t for t in own}
        self._organisation = organisation

    @staticmethod
    def initial_for(i: Incident) -> dict:
        local = timezone.localtime
        return {
            "title": i.title,
            "occurred_at": local(i.occurred_at).replace(tzinfo=None) if i.occurred_at else None,
            "discovered_at": local(i.discovered_at).replace(tzinfo=None) if i.discovered_at else None,
            "incident_type": f"c{i.incident_type_id}"
            if i.incident_type_id
            else (f"e{i.local_type_id}" if i.local_type_id else ""),
            "themes": list(i.themes.all()),
            "severity": i.severity,
            "place": i.place,
            "description": i.description,
            "immediate_actions": i.immediate_actions,
            "assets": list(i.assets.all()),
            "threat": f"c{i.threat_id}" if i.threat_id else (f"e{i.local_threat_id}" if i.local_threat_id else ""),
            "confidential": i.confidential,
            "handlers": list(i.handlers.all()),
            "status": i.status,
            "revision": i.revision,
        }

    def service_kwargs(self) -> dict:
        data, data["expected_revision"] = self.pop_revision()
        key = data.pop("incident_type") or ""
        data["incident_type"] = IncidentType.objects.filter(pk=int(key[1:])).first() if key.startswith("c") else None
        data["local_type"] = (
            LocalIncidentType.objects.filter(organisation=self._organisation, pk=int(key[1:])).first()
            if key.startswith("e")
            else None
        )
        chosen = self._threats.get(data.pop("threat") or "")
        data["threat"] = chosen if isinstance(chosen, Threat) else None
        data["local_threat"] = chosen if isinstance(chosen, LocalThreat) else None
        return data

    def clean_incident_type(self):
        value = self.cleaned_data["incident_type"]
        if not (value[:1] in ("c", "e") and value[1:].isdigit()):
            raise forms.ValidationError(_("Kies een soort incident."))
        return value


class EvaluationForm(RevisionMixin, forms.Form):
    lessons = forms.CharField(
        label=_("Lessen"),
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(4),
        help_text=_("Wat leert de organisatie van dit incident?"),
    )
    evaluated_on = forms.DateField(label=_("Geëvalueerd op"), required=False, widget=DATE)
    materialised_risks = forms.ModelMultipleChoiceField(
        label=_("Welke risico's deden zich voor?"),
        queryset=Risk.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    failed_measures = forms.ModelMultipleChoiceField(
        label=_("Welke maatregelen schoten tekort?"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    working_measures = forms.ModelMultipleChoiceField(
        label=_("Welke maatregelen werkten?"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    action_title = forms.CharField(
        label=_("Nieuwe actie (optioneel)"),
        max_length=200,
        required=False,
        help_text=_("Komt in het jaarplan, gekoppeld aan dit incident. Na opslaan kunt u er nog een toevoegen."),
    )
    action_due_date = forms.DateField(label=_("Uiterste datum van de actie"), required=False, widget=DATE)
    action_owner = forms.ModelChoiceField(
        label=_("Eigenaar van de actie"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("— niemand —"),
    )
    close = forms.BooleanField(label=_("Incident afsluiten"), required=False)
    revision = RevisionField()

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materialised_risks"].queryset = Risk.objects.filter(organisation=organisation).order_by(
            "reference", "title"
        )
        measures = Measure.objects.filter(organisation=organisation).order_by("reference", "title")
        self.fields["failed_measures"].queryset = measures
        self.fields["working_measures"].queryset = measures
        owners = Membership.objects.filter(organisation=organisation).select_related("user")
        self.fields["action_owner"].queryset = owners.order_by("user__full_name", "user__email")
        self.fields["action_owner"].label_from_instance = _member_label

    @staticmethod
    def initial_for(i: Incident) -> dict:
        return {
            "lessons": i.lessons,
            "evaluated_on": i.evaluated_on or timezone.localdate(),
            "materialised_risks": list(i.materialised_risks.all()),
            "failed_measures": list(i.failed_measures.all()),
            "working_measures": list(i.working_measures.all()),
            "close": i.status == Incident.Status.CLOSED,
            "revision": i.revision,
        }

    def clean(self):
        data = super().clean()
        if not data.get("action_title") and (data.get("action_due_date") or data.get("action_owner")):
            self.add_error("action_title", _("Geef de actie een titel, of laat datum en eigenaar leeg."))
        return data

    def service_kwargs(self) -> dict:
        from .services import NewAction

        data, data["expected_revision"] = self.pop_revision()
        title = data.pop("action_title")
        due, owner = data.pop("action_due_date"), data.pop("action_owner")
        data["new_actions"] = [NewAction(title=title, due_date=due, owner=owner)] if title else []
        return data


class ReportForm(RevisionMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort melding"), choices=ReportKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ExternalReport.Status.choices)
    made_at = DateTimeField(label=_("Gedaan op"), required=False)
    due_at = DateTimeField(
        label=_("Uiterlijk (alleen bij aangifte of een andere melding)"),
        required=False,
        help_text=_("Bij een datalek en de Cyberbeveiligingswet rekent Weerbaar de termijn zelf uit."),
    )
    their_reference = forms.CharField(label=_("Kenmerk van de ontvanger"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=_textarea(3),
        help_text=_("Bij 'niet nodig': waarom niet."),
    )
    revision = RevisionField()

    @staticmethod
    def initial_for(r: ExternalReport) -> dict:
        local = timezone.localtime
        return {
            "kind": r.kind,
            "status": r.status,
            "made_at": local(r.made_at).replace(tzinfo=None) if r.made_at else None,
            "due_at": local(r.due_at).replace(tzinfo=None) if r.due_at else None,
            "their_reference": r.their_reference,
            "note": r.note,
            "revision": r.revision,
        }

    def service_kwargs(self) -> dict:
        data, data["expected_revision"] = self.pop_revision()
        return data


class LocalTypeForm(RevisionMixin, forms.ModelForm):
    themes = ThemesField(required=False)
    revision = RevisionField()

    class Meta:
        model = LocalIncidentType
        fields = ["name", "description", "confidential", "themes"]
        widgets = {"description": _textarea(3)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision


class ConclusionForm(RevisionMixin, forms.Form):
    text = forms.CharField(
        label=_("Conclusie van de coördinator"),
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(6),
        help_text=_("Wat zijn de rode draden van dit jaar, en wat betekenen ze voor het beleid?"),
    )
    revision = RevisionField()


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        required=False,
        queryset=Theme.objects.only("pk", "name", "order").order_by("order"),
        empty_label=_("Alle"),
    )
    soort = forms.ChoiceField(label=_("Soort"), required=False)
    ernst = forms.TypedChoiceField(
        label=_("Ernst"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle")), *Incident.Severity.choices],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alle")), *Incident.Status.choices])
    jaar = forms.IntegerField(label=_("Jaar"), required=False, min_value=2000, max_value=2100)
    plaats = forms.CharField(label=_("Plaats"), required=False, max_length=200)
    meldingen_open = forms.BooleanField(label=_("Alleen met openstaande meldingen"), required=False)
    sorteer = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[
            ("datum", _("datum (nieuwste eerst)")),
            ("oud", _("datum (oudste eerst)")),
            ("ernst", _("ernst (ernstigste eerst)")),
            ("kenmerk", _("kenmerk")),
        ],
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [("", _("Alle")), *selectors.type_choices(organisation=organisation)]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excelbestand (.xlsx)"),
        help_text=_("Gebruik het sjabloon. Maximaal 5 MB. Bij één fout wordt niets ingelezen."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


def year_default() -> int:
    return datetime.date.today().year
