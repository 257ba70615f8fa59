"""Forms for the register: they parse input; the services decide and validate the rules."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from weerbaar.core.money import MoneyError, format_money, parse_money
from weerbaar.core.permissions import allowed_theme_ids
from weerbaar.core.widgets import Picker
from weerbaar.knowledge.models import Bio2Measure, Principle, SecurityGoal, Theme

from . import scoring
from .models import LABEL_MAX_LENGTH, MAX_LEVELS, MAX_SCORE, Asset, LocalThreat, Measure, MeasureConflict, Risk, Threat
from .thread import thread_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Free text (scenario, description, ...): long enough for any real text, bounded for the database,
# the exports and the API (which uses the same number).
TEXT_MAX_LENGTH = 10_000


def _textarea(rows: int):
    return forms.Textarea(attrs={"rows": rows})


class RevisionField(forms.IntegerField):
    """The revision the editor started from: a save by someone else in between is shown, not overwritten."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


class RevisionMixin:
    """Forms of a register row: carry the row's revision and give it back as ``expected_revision``."""

    def pop_revision(self) -> tuple[dict, int | None]:
        data = dict(self.cleaned_data)
        return data, data.pop("revision", None)

    def carry_revision(self, revision: int) -> None:
        """After a stale save: the form now carries the current revision, so saving again overwrites knowingly."""
        self.data = self.data.copy()
        self.data["revision"] = str(revision)


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


class _RevisionModelForm(RevisionMixin, forms.ModelForm):
    revision = RevisionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
        if "description" in self.fields:
            self.fields["description"].max_length = TEXT_MAX_LENGTH
            self.fields["description"].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))


class AssetForm(_RevisionModelForm):
    class Meta:
        model = Asset
        fields = ["name", "kind", "criticality", "location", "owner", "description", "reference"]
        widgets = {"description": _textarea(3)}
        help_texts = {"reference": _("Leeg laten: Weerbaar kiest een kenmerk, zoals BM-012.")}


class LocalThreatForm(_RevisionModelForm):
    themes = ThemesField(required=False)

    class Meta:
        model = LocalThreat
        fields = ["name", "deliberate", "description", "themes"]
        widgets = {"description": _textarea(4)}


def _level_choices(labels, blank: str | None = None):
    choices = [(i, f"{i} — {label}") for i, label in enumerate(labels, start=1)]
    return ([("", blank)] if blank else []) + choices


class RiskForm(RevisionMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    threat = forms.ChoiceField(label=_("Dreiging"), required=False)
    scenario = forms.CharField(
        label=_("Scenario"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(4),
        help_text=_("Wie of wat, tegen welk bedrijfsmiddel, hoe, en met welk gevolg?"),
    )
    assets = forms.ModelMultipleChoiceField(
        label=_("Bedrijfsmiddelen"),
        queryset=Asset.objects.none(),
        required=False,
        widget=Picker,
        help_text=_("Vink aan wat dit risico raakt. Met het zoekveld maakt u de lijst korter."),
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
        label=_("Geaccepteerd door"),
        required=False,
        max_length=200,
        help_text=_("Alleen bij accepteren, bijvoorbeeld: het college."),
    )
    accepted_until = forms.DateField(label=_("Geaccepteerd tot"), required=False, widget=DATE)
    owner = forms.CharField(label=_("Risico-eigenaar"), required=False, max_length=200)
    review_date = forms.DateField(label=_("Herbeoordelen op"), required=False, widget=DATE)
    reference = forms.CharField(
        label=_("Kenmerk"), required=False, max_length=20, help_text=_("Leeg laten: Weerbaar kiest een kenmerk.")
    )
    revision = RevisionField()

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
        # The score and its place in the matrix while choosing (weerbaar.js); the rule in words for everyone.
        for likelihood, impact, label in (
            ("inherent_likelihood", "inherent_impact", _("Bruto score")),
            ("residual_likelihood", "residual_impact", _("Netto score")),
        ):
            self.fields[impact].help_text = _(
                "Score = kans × impact. Boven %(a)s is een risico niet acceptabel, vanaf %(c)s zeer hoog."
            ) % {"a": scale.acceptance_level, "c": scale.critical_level}
            self.fields[impact].widget.attrs.update(
                {
                    "data-score-with": likelihood,
                    "data-score-label": str(label),
                    "data-acceptance": scale.acceptance_level,
                    "data-critical": scale.critical_level,
                    "data-text-acceptable": str(_("acceptabel")),
                    "data-text-high": str(_("boven de acceptatiegrens")),
                    "data-text-critical": str(_("zeer hoog")),
                }
            )

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
            "revision": risk.revision,
        }

    def service_kwargs(self) -> dict:
        data, data["expected_revision"] = self.pop_revision()
        chosen = self._threats.get(data.pop("threat") or "")
        data["threat"] = chosen if isinstance(chosen, Threat) else None
        data["local_threat"] = chosen if isinstance(chosen, LocalThreat) else None
        return data


class EuroField(forms.CharField):
    """An amount in euros as people type it: 1250, 1250,50, 1.250,50 or € 1.250 (see core.money).

    ``to_python`` gives the Decimal; :meth:`reading` tells whether the text could have been meant
    otherwise (``1.250``), so the form can ask the user to confirm the amount it read.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Bijvoorbeeld 1.250,00"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_money(value)
        return value

    @staticmethod
    def reading(value):
        try:
            return parse_money(value)
        except MoneyError as e:
            raise forms.ValidationError(e.message, code="invalid")

    def to_python(self, value):
        value = super().to_python(value)
        if len(value) > 40:
            raise forms.ValidationError(_("Geef een bedrag in euro's, bijvoorbeeld 1.250,00."), code="invalid")
        parsed = self.reading(value) if value else None
        if parsed is None:
            return None
        if parsed.amount < 0:
            raise forms.ValidationError(_("Kosten kunnen niet negatief zijn."), code="min_value")
        return parsed.amount


class ConfirmAmountsMixin:
    """Amounts read one way while another was plausible (``1.250``) are shown back before saving.

    The form answers with the amount it read at the field; a hidden ``<field>_confirmed`` then
    carries the typed text, and the same text sent again is saved.
    """

    amount_fields: tuple[str, ...] = ()

    def add_confirmation_fields(self) -> None:
        for name in self.amount_fields:
            self.fields[f"{name}_confirmed"] = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def confirm_amounts(self) -> None:
        for name in self.amount_fields:
            if name not in self.cleaned_data or self.cleaned_data[name] is None:
                continue
            typed = (self.data.get(self.add_prefix(name)) or "").strip()
            parsed = EuroField.reading(typed)
            if parsed is None or not parsed.ambiguous:
                continue
            confirmed = (self.cleaned_data.get(f"{name}_confirmed") or "").strip()
            if confirmed == typed:
                continue
            self.data = self.data.copy()
            self.data[self.add_prefix(f"{name}_confirmed")] = typed
            self.add_error(
                name,
                forms.ValidationError(
                    _("U typte %(typed)s; Weerbaar leest dit als € %(amount)s. Klopt dat? Sla dan opnieuw op."),
                    code="confirm",
                    params={"typed": typed, "amount": format_money(parsed.amount)},
                ),
            )

    def pop_confirmations(self, data: dict) -> dict:
        for name in self.amount_fields:
            data.pop(f"{name}_confirmed", None)
        return data


class Bio2Field(forms.ModelMultipleChoiceField):
    """BIO2 government measures from the list, picked by number or subject."""

    widget = Picker

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Bio2Measure.objects.filter(status=Bio2Measure.Status.MEASURE))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("BIO2-maatregelen"))
        kwargs.setdefault(
            "help_text",
            _("De overheidsmaatregelen uit de BIO2 die deze maatregel (deels) invult. Zoek op nummer of woord."),
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.number} {obj.description}".strip()


class ThreadGoalsField(forms.ModelMultipleChoiceField):
    """The goals of the effective framework version (own goals marked), or the catalogue before any framework."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", SecurityGoal.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Beveiligingsdoelen"))
        super().__init__(**kwargs)

    def set_thread(self, thread) -> None:
        self.queryset = thread.goal_queryset()
        self.help_text = _("Uit: %(source)s.") % {"source": thread.label}

    def label_from_instance(self, obj):
        if getattr(obj, "is_own", False):
            return _("%(name)s (eigen doel)") % {"name": obj.name}
        return obj.name


class ThreadPrinciplesField(forms.ModelMultipleChoiceField):
    """The principles of the effective framework version, by category; own principles marked."""

    widget = Picker

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Principle.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Uitgangspunten (optioneel)"))
        super().__init__(**kwargs)

    def set_thread(self, thread) -> None:
        self.queryset = thread.principle_queryset()
        self.help_text = _("Welke uitgangspunten brengt deze maatregel in praktijk? Uit: %(source)s.") % {
            "source": thread.label
        }
        own = _("eigen uitgangspunt")
        self.widget.hints = {
            str(p.pk): f"{p.category.name} · {own}" if getattr(p, "is_own", False) else p.category.name
            for p in self.queryset
        }

    def label_from_instance(self, obj):
        return obj.text


class MeasureForm(ConfirmAmountsMixin, RevisionMixin, forms.Form):
    amount_fields = ("cost_once", "cost_yearly")

    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Omschrijving"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(3)
    )
    themes = ThemesField(help_text=_("Thema-experts bewerken de maatregelen van hun eigen thema's."))
    measure_type = forms.ChoiceField(label=_("Type"), choices=Measure.Type.choices)
    kind = forms.ChoiceField(label=_("Soort"), choices=Measure.Kind.choices)
    goals = ThreadGoalsField()
    principles = ThreadPrinciplesField()
    risks = forms.ModelMultipleChoiceField(
        label=_("Vermindert de risico's"),
        queryset=Risk.objects.none(),
        required=False,
        widget=Picker,
        help_text=_("Vink de risico's aan die deze maatregel kleiner maakt."),
    )
    owner = forms.CharField(label=_("Eigenaar"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    cost_once = EuroField(label=_("Eenmalige kosten (€)"))
    cost_yearly = EuroField(label=_("Jaarlijkse kosten (€)"))
    side_effects = forms.CharField(
        label=_("Neveneffecten voor bezoekers en medewerkers"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(3),
    )
    bio2_measures = Bio2Field()
    bio2_unmatched = forms.CharField(
        label=_("BIO2-nummers buiten de lijst"),
        required=False,
        max_length=200,
        help_text=_(
            "Eerder ingevoerde nummers die niet in de BIO2-lijst staan. Kies hierboven de juiste maatregelen "
            "en maak dit veld leeg."
        ),
    )
    reference = forms.CharField(
        label=_("Kenmerk"), required=False, max_length=20, help_text=_("Leeg laten: Weerbaar kiest een kenmerk.")
    )

    revision = RevisionField()

    def __init__(self, *args, organisation, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].queryset = Risk.objects.filter(organisation=organisation).order_by("reference", "title")
        self.fields["themes"].queryset = _theme_queryset(membership)
        self.thread = thread_for(organisation=organisation, with_items=False)
        self.fields["goals"].set_thread(self.thread)
        self.fields["principles"].set_thread(self.thread)
        if not (
            self.initial.get("bio2_unmatched") or (self.is_bound and self.data.get(self.add_prefix("bio2_unmatched")))
        ):
            # Only measures that still carry numbers from the old free-text field show it.
            del self.fields["bio2_unmatched"]
        self.add_confirmation_fields()

    def clean(self):
        cleaned = super().clean()
        self.confirm_amounts()
        return cleaned

    def service_kwargs(self) -> dict:
        data, data["expected_revision"] = self.pop_revision()
        return self.pop_confirmations(data)

    @staticmethod
    def initial_for(m: Measure) -> dict:
        return {
            "title": m.title,
            "description": m.description,
            "themes": list(m.themes.all()),
            "measure_type": m.measure_type,
            "kind": m.kind,
            "goals": list(m.goals.all()) + list(m.catalogue_goals.all()),
            "principles": list(m.principles.all()) + list(m.catalogue_principles.all()),
            "risks": list(m.risks.all()),
            "owner": m.owner,
            "status": m.status,
            "deadline": m.deadline,
            "cost_once": m.cost_once,
            "cost_yearly": m.cost_yearly,
            "side_effects": m.side_effects,
            "bio2_measures": list(m.bio2_measures.all()),
            "bio2_unmatched": m.bio2_unmatched,
            "reference": m.reference,
            "revision": m.revision,
        }


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    revision = RevisionField()


class ConflictForm(RevisionMixin, forms.Form):
    measure_a = forms.ModelChoiceField(label=_("Maatregel"), queryset=Measure.objects.none())
    measure_b = forms.ModelChoiceField(label=_("Botst met maatregel"), queryset=Measure.objects.none())
    description = forms.CharField(
        label=_("Waar schuurt het?"),
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(3),
        help_text=_("Bijvoorbeeld: strenge toegangscontrole tegenover een open en gastvrij gemeentehuis."),
    )
    resolution = forms.CharField(
        label=_("Oplossing of afweging"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(3)
    )
    state = forms.ChoiceField(label=_("Status"), choices=MeasureConflict.State.choices)
    revision = RevisionField()

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Measure.objects.filter(organisation=organisation).order_by("reference", "title")
        self.fields["measure_a"].queryset = qs
        self.fields["measure_b"].queryset = qs


class MatrixForm(forms.Form):
    likelihood_levels = forms.IntegerField(label=_("Aantal niveaus kans"), min_value=2, max_value=MAX_LEVELS)
    impact_levels = forms.IntegerField(label=_("Aantal niveaus impact"), min_value=2, max_value=MAX_LEVELS)
    likelihood_labels = forms.CharField(
        label=_("Namen van de kansniveaus"),
        required=False,
        max_length=MAX_LEVELS * (LABEL_MAX_LENGTH + 2),
        widget=_textarea(5),
        help_text=_("Eén per regel, van laag naar hoog, elk hoogstens 60 tekens. Leeg: de standaardnamen."),
    )
    impact_labels = forms.CharField(
        label=_("Namen van de impactniveaus"),
        required=False,
        max_length=MAX_LEVELS * (LABEL_MAX_LENGTH + 2),
        widget=_textarea(5),
        help_text=_("Eén per regel, van laag naar hoog, elk hoogstens 60 tekens. Leeg: de standaardnamen."),
    )
    acceptance_level = forms.IntegerField(
        label=_("Acceptatiegrens"),
        min_value=1,
        max_value=MAX_SCORE,
        help_text=_("Risico's met een score (kans × impact) boven deze grens zijn niet acceptabel."),
    )
    critical_level = forms.IntegerField(
        label=_("Grens zeer hoog"),
        min_value=1,
        max_value=MAX_SCORE,
        help_text=_("Vanaf deze score geldt een risico als zeer hoog."),
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
    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["doel"].queryset = thread_for(organisation=organisation, with_items=False).goal_queryset()

    q = forms.CharField(label=_("Zoeken"), required=False)
    thema = forms.ModelChoiceField(
        label=_("Thema"), required=False, queryset=Theme.objects.order_by("order"), empty_label=_("Alle")
    )
    doel = forms.ModelChoiceField(
        label=_("Doel"), required=False, queryset=SecurityGoal.objects.none(), empty_label=_("Alle")
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
            ("deadline", _("uiterste datum")),
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
