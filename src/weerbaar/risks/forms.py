"""Forms for the register: they parse input; the services decide and validate the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.core.permissions import allowed_theme_ids
from weerbaar.documents.excel import as_decimal
from weerbaar.knowledge.models import Principle, SecurityGoal, Theme

from . import scoring
from .models import Asset, LocalThreat, Measure, MeasureConflict, Risk, Threat

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _theme_queryset(membership):
    qs = Theme.objects.order_by("order", "name")
    allowed = allowed_theme_ids(membership) if membership else None
    return qs.filter(pk__in=allowed) if allowed is not None else qs


class ThemesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Theme.objects.order_by("order", "name"))
        kwargs.setdefault("label", _("Thema's"))
        super().__init__(**kwargs)


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = ["name", "kind", "criticality", "location", "owner", "description", "reference"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"reference": _("Leeg laten: Weerbaar kiest een kenmerk, zoals BM-012.")}


class LocalThreatForm(forms.ModelForm):
    themes = ThemesField(required=False)

    class Meta:
        model = LocalThreat
        fields = ["name", "deliberate", "description", "themes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


def _level_choices(labels, blank: str | None = None):
    choices = [(i, f"{i} — {label}") for i, label in enumerate(labels, start=1)]
    return ([("", blank)] if blank else []) + choices


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    threat = forms.ChoiceField(label=_("Dreiging"), required=False)
    scenario = forms.CharField(
        label=_("Scenario"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wie of wat, tegen welk bedrijfsmiddel, hoe, en met welk gevolg?"),
    )
    assets = forms.ModelMultipleChoiceField(
        label=_("Bedrijfsmiddelen"),
        queryset=Asset.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen."),
    )
    themes = ThemesField(help_text=_("Thema-experts bewerken de risico's van hun eigen thema's."))
    inherent_likelihood = forms.TypedChoiceField(label=_("Bruto kans"), coerce=int)
    inherent_impact = forms.TypedChoiceField(label=_("Bruto impact"), coerce=int)
    residual_likelihood = forms.TypedChoiceField(
        label=_("Netto kans (na maatregelen)"), coerce=int, required=False, empty_value=None
    )
    residual_impact = forms.TypedChoiceField(
        label=_("Netto impact (na maatregelen)"), coerce=int, required=False, empty_value=None
    )
    treatment = forms.ChoiceField(label=_("Besluit"), choices=Risk.Treatment.choices, initial=Risk.Treatment.REDUCE)
    accepted_by = forms.CharField(
        label=_("Geaccepteerd door"), required=False, help_text=_("Alleen bij accepteren, bijvoorbeeld: het college.")
    )
    accepted_until = forms.DateField(label=_("Geaccepteerd tot"), required=False, widget=DATE)
    owner = forms.CharField(label=_("Risico-eigenaar"), required=False, max_length=200)
    review_date = forms.DateField(label=_("Herbeoordelen op"), required=False, widget=DATE)
    reference = forms.CharField(
        label=_("Kenmerk"), required=False, max_length=20, help_text=_("Leeg laten: Weerbaar kiest een kenmerk.")
    )

    def __init__(self, *args, organisation, membership, scale: scoring.Scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = Asset.objects.filter(organisation=organisation).order_by("name")
        self.fields["themes"].queryset = _theme_queryset(membership)
        catalogue = list(Threat.objects.order_by("-deliberate", "order", "name"))
        own = list(LocalThreat.objects.filter(organisation=organisation).order_by("name"))
        self.fields["threat"].choices = [
            ("", _("— geen dreiging gekozen —")),
            (_("Moedwillig (catalogus)"), [(f"c{t.pk}", t.name) for t in catalogue if t.deliberate]),
            (_("Niet moedwillig (catalogus)"), [(f"c{t.pk}", t.name) for t in catalogue if not t.deliberate]),
        ] + ([(_("Eigen dreigingen"), [(f"e{t.pk}", t.name) for t in own])] if own else [])
        self._threats = {f"c{t.pk}": t for t in catalogue} | {f"e{t.pk}": t for t in own}
        lk, im = scale.likelihood_labels, scale.impact_labels
        self.fields["inherent_likelihood"].choices = _level_choices(lk, blank=str(_("— kies —")))
        self.fields["inherent_impact"].choices = _level_choices(im, blank=str(_("— kies —")))
        self.fields["residual_likelihood"].choices = _level_choices(lk, blank=str(_("nog niet ingeschat")))
        self.fields["residual_impact"].choices = _level_choices(im, blank=str(_("nog niet ingeschat")))

    @staticmethod
    def initial_for(risk: Risk) -> dict:
        threat = (
            f"c{risk.threat_id}" if risk.threat_id else (f"e{risk.local_threat_id}" if risk.local_threat_id else "")
        )
        return {
            "title": risk.title,
            "threat": threat,
            "scenario": risk.scenario,
            "assets": list(risk.assets.all()),
            "themes": list(risk.themes.all()),
            "inherent_likelihood": risk.inherent_likelihood,
            "inherent_impact": risk.inherent_impact,
            "residual_likelihood": risk.residual_likelihood,
            "residual_impact": risk.residual_impact,
            "treatment": risk.treatment,
            "accepted_by": risk.accepted_by,
            "accepted_until": risk.accepted_until,
            "owner": risk.owner,
            "review_date": risk.review_date,
            "reference": risk.reference,
        }

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        chosen = self._threats.get(data.pop("threat") or "")
        data["threat"] = chosen if isinstance(chosen, Threat) else None
        data["local_threat"] = chosen if isinstance(chosen, LocalThreat) else None
        return data


class EuroField(forms.CharField):
    """An amount in euros as people type it: 1250, 1250,50, 1.250,50 or € 1.250."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Bijvoorbeeld 1.250,00"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            amount = as_decimal(value)
        except ValueError:
            raise forms.ValidationError(_("Geef een bedrag in euro's, bijvoorbeeld 1.250,00."))
        if amount < 0 or amount >= Decimal("10000000000"):
            raise forms.ValidationError(_("Geef een bedrag tussen 0 en 10 miljard euro."))
        return amount


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    themes = ThemesField(help_text=_("Thema-experts bewerken de maatregelen van hun eigen thema's."))
    measure_type = forms.ChoiceField(label=_("Type"), choices=Measure.Type.choices)
    kind = forms.ChoiceField(label=_("Soort"), choices=Measure.Kind.choices)
    goals = forms.ModelMultipleChoiceField(
        label=_("Beveiligingsdoelen"),
        queryset=SecurityGoal.objects.order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    principles = forms.ModelMultipleChoiceField(
        label=_("Uitgangspunten (optioneel)"),
        queryset=Principle.objects.order_by("category__order", "order"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Welke uitgangspunten uit het strategisch kader brengt deze maatregel in praktijk?"),
    )
    risks = forms.ModelMultipleChoiceField(
        label=_("Vermindert de risico's"),
        queryset=Risk.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen."),
    )
    owner = forms.CharField(label=_("Eigenaar"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    cost_once = EuroField(label=_("Eenmalige kosten (€)"))
    cost_yearly = EuroField(label=_("Jaarlijkse kosten (€)"))
    side_effects = forms.CharField(
        label=_("Neveneffecten voor bezoekers en medewerkers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bio2_refs = forms.CharField(
        label=_("BIO2-maatregelen"),
        required=False,
        max_length=200,
        help_text=_("Nummers, bijvoorbeeld 5.15.01, 8.05.01."),
    )
    reference = forms.CharField(
        label=_("Kenmerk"), required=False, max_length=20, help_text=_("Leeg laten: Weerbaar kiest een kenmerk.")
    )

    def __init__(self, *args, organisation, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].queryset = Risk.objects.filter(organisation=organisation).order_by("reference", "title")
        self.fields["themes"].queryset = _theme_queryset(membership)

    @staticmethod
    def initial_for(m: Measure) -> dict:
        return {
            "title": m.title,
            "description": m.description,
            "themes": list(m.themes.all()),
            "measure_type": m.measure_type,
            "kind": m.kind,
            "goals": list(m.goals.all()),
            "principles": list(m.principles.all()),
            "risks": list(m.risks.all()),
            "owner": m.owner,
            "status": m.status,
            "deadline": m.deadline,
            "cost_once": m.cost_once,
            "cost_yearly": m.cost_yearly,
            "side_effects": m.side_effects,
            "bio2_refs": m.bio2_refs,
            "reference": m.reference,
        }


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)


class ConflictForm(forms.Form):
    measure_a = forms.ModelChoiceField(label=_("Maatregel"), queryset=Measure.objects.none())
    measure_b = forms.ModelChoiceField(label=_("Botst met maatregel"), queryset=Measure.objects.none())
    description = forms.CharField(
        label=_("Waar schuurt het?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: strenge toegangscontrole tegenover een open en gastvrij gemeentehuis."),
    )
    resolution = forms.CharField(
        label=_("Oplossing of afweging"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    state = forms.ChoiceField(label=_("Status"), choices=MeasureConflict.State.choices)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Measure.objects.filter(organisation=organisation).order_by("reference", "title")
        self.fields["measure_a"].queryset = qs
        self.fields["measure_b"].queryset = qs


class MatrixForm(forms.Form):
    likelihood_levels = forms.IntegerField(label=_("Aantal niveaus kans"), min_value=2, max_value=10)
    impact_levels = forms.IntegerField(label=_("Aantal niveaus impact"), min_value=2, max_value=10)
    likelihood_labels = forms.CharField(
        label=_("Namen van de kansniveaus"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Eén per regel, van laag naar hoog. Leeg: de standaardnamen."),
    )
    impact_labels = forms.CharField(
        label=_("Namen van de impactniveaus"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Eén per regel, van laag naar hoog. Leeg: de standaardnamen."),
    )
    acceptance_level = forms.IntegerField(
        label=_("Acceptatiegrens"),
        min_value=1,
        help_text=_("Risico's met een score (kans × impact) boven deze grens zijn niet acceptabel."),
    )
    critical_level = forms.IntegerField(
        label=_("Grens zeer hoog"), min_value=1, help_text=_("Vanaf deze score geldt een risico als zeer hoog.")
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("likelihood_labels", "impact_labels"):
            data[key] = [line for line in (data[key] or "").splitlines() if line.strip()]
        return data


class AssetFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False)
    soort = forms.ChoiceField(label=_("Soort"), required=False, choices=[("", _("Alle"))] + list(Asset.Kind.choices))
    belang = forms.TypedChoiceField(
        label=_("Belang"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle"))] + list(Asset.Criticality.choices),
    )
    sorteer = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[("naam", _("naam")), ("soort", _("soort")), ("belang", _("belang (hoog eerst)"))],
    )


class RiskFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False)
    thema = forms.ModelChoiceField(
        label=_("Thema"), required=False, queryset=Theme.objects.order_by("order"), empty_label=_("Alle")
    )
    besluit = forms.ChoiceField(
        label=_("Besluit"), required=False, choices=[("", _("Alle"))] + list(Risk.Treatment.choices)
    )
    boven_grens = forms.BooleanField(label=_("Alleen boven de acceptatiegrens"), required=False)
    sorteer = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[
            ("score", _("actuele score (hoog eerst)")),
            ("bruto", _("bruto score (hoog eerst)")),
            ("titel", _("titel")),
            ("kenmerk", _("kenmerk")),
            ("herbeoordeling", _("herbeoordelingsdatum")),
        ],
    )
    positie = forms.ChoiceField(
        required=False, choices=[("bruto", "bruto"), ("netto", "netto")], widget=forms.HiddenInput
    )
    kans = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    impact = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class MeasureFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False)
    thema = forms.ModelChoiceField(
        label=_("Thema"), required=False, queryset=Theme.objects.order_by("order"), empty_label=_("Alle")
    )
    doel = forms.ModelChoiceField(
        label=_("Doel"), required=False, queryset=SecurityGoal.objects.order_by("order"), empty_label=_("Alle")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle"))] + list(Measure.Status.choices)
    )
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Alle"))] + list(Measure.Type.choices))
    soort = forms.ChoiceField(label=_("Soort"), required=False, choices=[("", _("Alle"))] + list(Measure.Kind.choices))
    sorteer = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[
            ("titel", _("titel")),
            ("kenmerk", _("kenmerk")),
            ("deadline", _("deadline")),
            ("status", _("status")),
            ("kosten", _("kosten (hoog eerst)")),
        ],
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excelbestand (.xlsx)"),
        help_text=_("Gebruik het sjabloon. Maximaal 5 MB. Bij één fout wordt niets ingelezen."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
