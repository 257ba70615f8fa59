"""Forms for the framework builder: one form per step, built from the step's fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership
from weerbaar.knowledge.models import GovernanceVariant, PrincipleCategory
from weerbaar.risks.forms import DATE, RevisionField, RevisionMixin

from . import selectors
from .models import FrameworkVersion, Step, StepEntry, SubPlan, WordTemplate
from .services import SUBPLAN_DOCUMENT_MAX_BYTES, GoalInput, PrincipleInput, editable_fields, linked_measures

TEXT_LABELS = {
    Step.VISION: (_("Onze visie op integrale beveiliging"), _("Kort en krachtig: het gezamenlijke beeld.")),
    Step.SCOPE: (_("Beschrijving van de scope"), _("Waarop het beleid betrekking heeft, en de grensgevallen.")),
    Step.GOALS: (_("Toelichting op de gekozen doelen"), _("Bijvoorbeeld de weging tussen de doelen.")),
    Step.PRINCIPLES: (_("Toelichting op de uitgangspunten"), ""),
    Step.QUALITY: (
        _("Beschrijving van de PDCA-cyclus"),
        _("Hoe de gemeente plant, uitvoert, controleert en bijstuurt."),
    ),
}

GROUPS = {
    "own": ["text", "multi_year_plans", "staff_groups", "third_parties", "rationale"],
    "scope_assets": ["scope_assets", "assets"],
    "new_asset": ["new_asset_name", "new_asset_kind", "new_asset_criticality"],
    "sub_plans": [
        "no_sub_plans",
        "sub_plan_information",
        "sub_plan_physical",
        "sub_plan_personnel",
        "sub_plan_continuity",
    ],
    "quality": ["governance_variant", "review_frequency", "review_owner", "planning_cycle_anchor"],
    "variants": ["minimum_variant", "maximum_variant", "variants_considered"],
    "checklist": [
        "drafted_by",
        "adopted_by",
        "stakeholders_official",
        "stakeholders_administrative",
        "stakeholders_political",
        "working_session_on",
        "working_session_notes",
    ],
}


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class StepForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        entry: StepEntry,
        version: FrameworkVersion,
        catalogue: dict,
        principle_category=None,
        can_add_assets: bool = False,
        **kwargs,
    ):
        self.entry, self.version, self.step = entry, version, entry.step
        # The principles step is edited one category at a time (``principle_category``); without
        # one, its form holds the step's general parts and links to the categories.
        self.principle_category = principle_category
        initial = {name: getattr(entry, name) for name in editable_fields(entry.step)}
        initial["governance_variant"] = entry.governance_variant_id
        initial["revision"] = entry.revision
        initial["activities_done"] = [a.pk for a in entry.activities_done.all()]
        if entry.step == Step.SCOPE:
            initial["laws"] = [law.pk for law in entry.laws.all()]
            initial["scope_assets"] = [a.pk for a in entry.scope_assets.all()]
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {**initial, **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        for name in editable_fields(entry.step):
            model_field = StepEntry._meta.get_field(name)
            if name == "governance_variant":
                field = forms.ModelChoiceField(
                    queryset=GovernanceVariant.objects.published().order_by("order"),
                    required=False,
                    label=_("Gekozen governancevariant"),
                    empty_label="—",
                )
            else:
                field = model_field.formfield(required=False)
            if isinstance(field.widget, forms.Textarea):
                field.widget = _textarea(6 if name == "text" else 3)
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            field.label = str(model_field.verbose_name).capitalize() if name != "governance_variant" else field.label
            self.fields[name] = field
        label, help_text = TEXT_LABELS[entry.step]
        self.fields["text"].label, self.fields["text"].help_text = label, help_text
        self.fields["rationale"].help_text = _("De argumentatie: waarom kiest de gemeente hiervoor?")
        self.fields["activities_done"] = forms.MultipleChoiceField(
            choices=[(a.pk, a.text) for a in catalogue["activities"]],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Afgeronde hoofdactiviteiten"),
        )
        if entry.step == Step.SCOPE:
            self.fields["laws"] = forms.MultipleChoiceField(
                choices=[(law.pk, f"{law.name} ({law.group.name})") for law in selectors.laws_for_choice()],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label=_("Wet- en regelgeving die van toepassing is"),
            )
            self._add_asset_fields(can_add_assets)
        if entry.step == Step.GOALS:
            self._add_goal_fields()
        self.principle_groups, self.own_principle_rows = [], []
        if entry.step == Step.PRINCIPLES and principle_category is not None:
            general = set(self.fields) - {"revision"}
            self._add_principle_fields()
            for name in general:
                del self.fields[name]

    # --- scope: assets from the register --------------------------------------------------

    def _add_asset_fields(self, can_add_assets: bool):
        from weerbaar.risks.models import Asset

        self.fields["scope_assets"] = forms.ModelMultipleChoiceField(
            queryset=Asset.objects.order_by("name", "id"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Bedrijfsmiddelen die binnen de scope vallen"),
            help_text=_("Uit het register van bedrijfsmiddelen; het register en de scope zijn één lijst."),
        )
        self.fields["assets"].help_text = _("Optioneel: een toelichting op de keuze van de bedrijfsmiddelen.")
        self.can_add_assets = can_add_assets
        if can_add_assets:
            self.fields["new_asset_name"] = forms.CharField(
                required=False, max_length=Asset._meta.get_field("name").max_length, label=_("Naam")
            )
            self.fields["new_asset_kind"] = forms.ChoiceField(
                choices=Asset.Kind.choices, initial=Asset.Kind.OTHER, required=False, label=_("Soort")
            )
            self.fields["new_asset_criticality"] = forms.TypedChoiceField(
                choices=Asset.Criticality.choices,
                coerce=int,
                initial=Asset.Criticality.MEDIUM,
                required=False,
                label=_("Belang"),
            )

    def new_asset_data(self) -> dict | None:
        """The new asset typed in the scope step, or None with an error on the name when it is empty."""
        from weerbaar.risks.models import Asset

        data = self.cleaned_data
        name = (data.get("new_asset_name") or "").strip()
        if not name:
            self.add_error("new_asset_name", _("Vul de naam van het nieuwe bedrijfsmiddel in."))
            return None
        return {
            "name": name,
            "kind": data.get("new_asset_kind") or Asset.Kind.OTHER,
            "criticality": data.get("new_asset_criticality") or Asset.Criticality.MEDIUM,
        }

    # --- goals -------------------------------------------------------------------------

    def _add_goal_fields(self):
        goals = list(self.version.goals.all())
        chosen = {g.catalogue_goal_id: g for g in goals if g.catalogue_goal_id}
        # Measures linked to each chosen goal: shown beside it, so no one removes it unaware.
        linked = linked_measures(goals)
        self.catalogue_goal_rows = []
        for goal in selectors.catalogue_goals():
            existing = chosen.get(goal.pk)
            key = f"goal_{goal.pk}"
            self.fields[key] = forms.BooleanField(required=False, label=_("Opnemen"), initial=existing is not None)
            self.fields[f"{key}_why"] = forms.CharField(
                required=False,
                label=_("Waarom dit doel voor ons geldt"),
                widget=_textarea(2),
                initial=existing.why if existing else "",
            )
            self.catalogue_goal_rows.append(
                (goal, self[key], self[f"{key}_why"], linked.get(existing.pk, []) if existing else [])
            )
        self.own_goal_rows = []
        for goal in (g for g in goals if not g.catalogue_goal_id):
            key = f"owngoal_{goal.pk}"
            self.fields[f"{key}_name"] = forms.CharField(max_length=200, label=_("Naam"), initial=goal.name)
            self.fields[f"{key}_why"] = forms.CharField(
                required=False, label=_("Waarom dit doel voor ons geldt"), widget=_textarea(2), initial=goal.why
            )
            self.fields[f"{key}_delete"] = forms.BooleanField(required=False, label=_("Dit eigen doel verwijderen"))
            self.own_goal_rows.append(
                (goal, self[f"{key}_name"], self[f"{key}_why"], self[f"{key}_delete"], linked.get(goal.pk, []))
            )
        self.fields["newgoal_name"] = forms.CharField(
            required=False, max_length=200, label=_("Naam van een eigen doel")
        )
        self.fields["newgoal_why"] = forms.CharField(
            required=False, label=_("Waarom dit doel voor ons geldt"), widget=_textarea(2)
        )

    def goal_inputs(self) -> list[GoalInput]:
        data = self.cleaned_data
        items = [
            GoalInput(catalogue_goal=goal, why=data.get(f"goal_{goal.pk}_why", ""))
            for goal, *_rest in self.catalogue_goal_rows
            if data.get(f"goal_{goal.pk}")
        ]
        for goal, *_rest in self.own_goal_rows:
            key = f"owngoal_{goal.pk}"
            if not data.get(f"{key}_delete"):
                items.append(GoalInput(id=goal.pk, name=data[f"{key}_name"], why=data.get(f"{key}_why", "")))
        if data.get("newgoal_name", "").strip():
            items.append(GoalInput(name=data["newgoal_name"], why=data.get("newgoal_why", "")))
        return items

    # --- principles --------------------------------------------------------------------

    def _add_principle_fields(self):
        version_goals = list(self.version.goals.all())
        goal_choices = [(g.pk, g.name) for g in version_goals]
        by_catalogue_goal = {g.catalogue_goal_id: g.pk for g in version_goals if g.catalogue_goal_id}
        chosen_principles = list(
            self.version.principles.filter(category=self.principle_category).prefetch_related("goals")
        )
        chosen = {p.catalogue_principle_id: p for p in chosen_principles if p.catalogue_principle_id}
        linked = linked_measures(chosen_principles)
        self.principle_groups = []
        for category, principles in selectors.catalogue_principles_by_category():
            if category.pk != self.principle_category.pk:
                continue
            rows = []
            for cp in principles:
                existing = chosen.get(cp.pk)
                key = f"pr_{cp.pk}"
                if existing is not None:
                    goals_initial = [g.pk for g in existing.goals.all()]
                else:
                    goals_initial = [by_catalogue_goal[g.pk] for g in cp.goals.all() if g.pk in by_catalogue_goal]
                self.fields[key] = forms.BooleanField(required=False, label=_("Opnemen"), initial=existing is not None)
                self.fields[f"{key}_text"] = forms.CharField(
                    required=False,
                    label=_("Onze formulering"),
                    widget=_textarea(2),
                    initial=existing.text if existing else cp.text,
                )
                self.fields[f"{key}_goals"] = forms.TypedMultipleChoiceField(
                    coerce=int,
                    choices=goal_choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    label=_("Dient doelen"),
                    initial=goals_initial,
                )
                rows.append(
                    (
                        cp,
                        self[key],
                        self[f"{key}_text"],
                        self[f"{key}_goals"],
                        linked.get(existing.pk, []) if existing else [],
                    )
                )
            self.principle_groups.append((category, rows))
        categories = PrincipleCategory.objects.published().order_by("order")
        self.own_principle_rows = []
        for p in (p for p in chosen_principles if not p.catalogue_principle_id):
            key = f"ownpr_{p.pk}"
            self.fields[f"{key}_category"] = forms.ModelChoiceField(
                queryset=categories, label=_("Categorie"), initial=p.category_id
            )
            self.fields[f"{key}_text"] = forms.CharField(label=_("Uitgangspunt"), widget=_textarea(2), initial=p.text)
            self.fields[f"{key}_goals"] = forms.TypedMultipleChoiceField(
                coerce=int,
                choices=goal_choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=_("Dient doelen"),
                initial=[g.pk for g in p.goals.all()],
            )
            self.fields[f"{key}_delete"] = forms.BooleanField(
                required=False, label=_("Dit eigen uitgangspunt verwijderen")
            )
            self.own_principle_rows.append(
                (
                    p,
                    self[f"{key}_category"],
                    self[f"{key}_text"],
                    self[f"{key}_goals"],
                    self[f"{key}_delete"],
                    linked.get(p.pk, []),
                )
            )
        self.fields["newpr_category"] = forms.ModelChoiceField(
            queryset=categories,
            required=False,
            label=_("Categorie van een eigen uitgangspunt"),
            empty_label="—",
            initial=self.principle_category.pk,
        )
        self.fields["newpr_text"] = forms.CharField(
            required=False, label=_("Tekst van een eigen uitgangspunt"), widget=_textarea(2)
        )
        self.fields["newpr_goals"] = forms.TypedMultipleChoiceField(
            coerce=int,
            choices=goal_choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Dient doelen"),
        )

    def clean(self):
        data = super().clean()
        if self.step == Step.PRINCIPLES and data.get("newpr_text", "").strip() and not data.get("newpr_category"):
            self.add_error("newpr_category", _("Kies een categorie voor uw eigen uitgangspunt."))
        return data

    def principle_inputs(self) -> list[PrincipleInput]:
        data = self.cleaned_data
        items = []
        for _category, rows in self.principle_groups:
            for cp, *_rest in rows:
                key = f"pr_{cp.pk}"
                if data.get(key):
                    items.append(
                        PrincipleInput(
                            catalogue_principle=cp, text=data.get(f"{key}_text", ""), goal_ids=data.get(f"{key}_goals")
                        )
                    )
        for p, *_rest in self.own_principle_rows:
            key = f"ownpr_{p.pk}"
            if not data.get(f"{key}_delete"):
                items.append(
                    PrincipleInput(
                        id=p.pk,
                        category=data[f"{key}_category"],
                        text=data[f"{key}_text"],
                        goal_ids=data.get(f"{key}_goals"),
                    )
                )
        if data.get("newpr_text", "").strip():
            items.append(
                PrincipleInput(
                    category=data["newpr_category"], text=data["newpr_text"], goal_ids=data.get("newpr_goals") or []
                )
            )
        # The other categories stay as they are: their principles go along unchanged (goals untouched).
        own_here = {p.pk for p, *_rest in self.own_principle_rows}
        for p in self.version.principles.select_related("catalogue_principle", "category"):
            if p.catalogue_principle_id and p.catalogue_principle.category_id != self.principle_category.pk:
                items.append(PrincipleInput(catalogue_principle=p.catalogue_principle, text=p.text))
            elif not p.catalogue_principle_id and p.pk not in own_here:
                items.append(PrincipleInput(id=p.pk, category=p.category, text=p.text))
        return items

    # --- for templates and the view ----------------------------------------------------

    @property
    def groups(self) -> dict:
        return {name: self.group(name) for name in GROUPS}

    def group(self, name: str):
        return [self[f] for f in GROUPS[name] if f in self.fields]

    def service_kwargs(self) -> dict:
        from weerbaar.knowledge.models import Law, StepActivity

        data = self.cleaned_data
        if self.step == Step.PRINCIPLES and self.principle_category is not None:
            return {"principles": self.principle_inputs()}
        kwargs = {
            "fields": {name: data.get(name) for name in editable_fields(self.step)},
            "activities_done": list(StepActivity.objects.filter(pk__in=data.get("activities_done") or [])),
        }
        if self.step == Step.SCOPE:
            kwargs["laws"] = list(Law.objects.filter(pk__in=data.get("laws") or []))
            kwargs["scope_assets"] = list(data.get("scope_assets") or [])
        if self.step == Step.GOALS:
            kwargs["goals"] = self.goal_inputs()
        return kwargs


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Uw opmerking"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


DECISION_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def check_document_upload(upload, *, max_bytes: int, max_label: str):
    """A PDF or Word file of at most ``max_bytes``, checked before anything stores it."""
    if upload.size > max_bytes:
        raise forms.ValidationError(_("Het bestand is groter dan %(max)s.") % {"max": max_label})
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return upload
    from weerbaar.documents.uploads import UnsafeArchive, check_zip_archive
    from weerbaar.documents.word import looks_like_docx

    content = upload.read()
    upload.seek(0)
    if looks_like_docx(content):
        try:
            check_zip_archive(upload)
        except UnsafeArchive as e:
            raise forms.ValidationError(str(e)) from e
        upload.seek(0)
        return upload
    raise forms.ValidationError(_("Kies een PDF- of Word-bestand (.pdf of .docx)."))


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Datum van het collegebesluit"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    decision_reference = forms.CharField(
        label=_("Kenmerk van het besluit"),
        max_length=100,
        help_text=_("Het nummer of kenmerk waaronder het besluit is vastgelegd, bijvoorbeeld B&W 2026/123."),
    )
    adopted_by_body = forms.CharField(
        label=_("Vastgesteld door"), max_length=200, initial=_("college van burgemeester en wethouders")
    )
    decision_document = forms.FileField(
        label=_("Besluitdocument (optioneel)"),
        required=False,
        help_text=_("Het getekende besluit als PDF of Word-bestand, hoogstens 10 MB."),
    )

    def clean_decision_document(self):
        upload = self.cleaned_data.get("decision_document")
        if not upload:
            return None
        return check_document_upload(upload, max_bytes=DECISION_DOCUMENT_MAX_BYTES, max_label="10 MB")


class SubmitForm(forms.Form):
    """Submitting asks for an explicit yes when comments are still open."""

    def __init__(self, *args, open_comments: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if open_comments:
            self.fields["open_comments_ok"] = forms.BooleanField(
                label=_("Ik dien deze versie in, ook al staan er nog %(n)s opmerkingen open.") % {"n": open_comments},
                error_messages={"required": _("Handel de opmerkingen eerst af, of vink aan dat u toch indient.")},
            )


class CompareForm(forms.Form):
    other = forms.TypedChoiceField(coerce=int, label=_("Vergelijk met versie"))

    def __init__(self, *args, versions, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [
            (v.pk, f"{v.number} ({v.get_status_display()})") for v in versions if v.pk != current.pk
        ]


class WordTemplateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort sjabloon"),
        choices=WordTemplate.Kind.choices,
        initial=WordTemplate.Kind.STYLE,
        required=False,  # a client that predates style templates sends none: it means placeholders
        widget=forms.RadioSelect,
        help_text=_(
            "Kies een opmaaksjabloon als u het hele kader in uw huisstijl wilt: lettertypen, kleuren, koppen, "
            "tabelopmaak, paginainstelling en kop- en voetteksten (met logo) komen uit uw bestand, de inhoud "
            "maakt Weerbaar. Kies een sjabloon met plaatshouders alleen als u zelf bepaalt wat waar staat; "
            "dan komt alleen in het document wat u met plaatshouders opneemt."
        ),
    )
    file = forms.FileField(
        label=_("Word-bestand (.dotx of .docx)"),
        help_text=_("Maximaal 5 MB. Een Word-sjabloon (.dotx) of een gewoon Word-document (.docx) in uw huisstijl."),
        widget=forms.FileInput(attrs={"accept": ".docx,.dotx"}),
    )

    def clean_kind(self):
        return self.cleaned_data.get("kind") or WordTemplate.Kind.PLACEHOLDERS


# --- sub-plans ---------------------------------------------------------------------------------


class SubPlanForm(RevisionMixin, forms.ModelForm):
    revision = RevisionField()
    owner = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Eigenaar"),
        help_text=_("Krijgt een herinnering voor de herziening."),
    )
    document = forms.FileField(
        required=False,
        label=_("Document uploaden"),
        help_text=_("Een PDF- of Word-bestand van hoogstens 20 MB. Of vul hierboven een link in."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    remove_document = forms.BooleanField(required=False, label=_("Het geüploade document verwijderen"))
    document_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=_("Link naar het document"),
        help_text=_("Bijvoorbeeld de plek in het documentsysteem of op de website."),
    )

    class Meta:
        model = SubPlan
        fields = ["kind", "title", "owner", "status", "adopted_on", "review_on", "scope", "document_url"]
        widgets = {"scope": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "review_on": _("Staat in de agenda; de eigenaar krijgt een herinnering."),
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
        self.fields["owner"].queryset = Membership.objects.filter(organisation=organisation).select_related("user")
        self.fields["owner"].label_from_instance = lambda m: m.user.get_full_name() or m.user.email
        for name in ("adopted_on", "review_on"):
            self.fields[name].widget = DATE
        self.fields["scope"].max_length = 10_000
        if not self.instance.document:
            del self.fields["remove_document"]

    def clean(self):
        from .services import subplan_date_problem

        data = super().clean()
        problem = subplan_date_problem(
            status=data.get("status"), adopted_on=data.get("adopted_on"), review_on=data.get("review_on")
        )
        if problem:
            self.add_error(*problem)
        return data

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        return check_document_upload(upload, max_bytes=SUBPLAN_DOCUMENT_MAX_BYTES, max_label="20 MB")


class SubPlanFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label=_("Zoeken op titel"))
    thema = forms.ChoiceField(required=False, label=_("Thema"), choices=[("", _("Alle thema's"))])
    status = forms.ChoiceField(required=False, label=_("Status"), choices=[("", _("Alle statussen"))])
    sorteer = forms.ChoiceField(
        required=False,
        label=_("Sorteren op"),
        choices=[("", _("thema")), ("titel", _("titel")), ("herziening", _("herziening")), ("status", _("status"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices += list(SubPlan.Kind.choices)
        self.fields["status"].choices += list(SubPlan.Status.choices)


class DelegationForm(forms.Form):
    step = forms.ChoiceField(label=_("Stap"), choices=Step.choices)
    member = forms.ModelChoiceField(queryset=None, label=_("Meeschrijver"), empty_label="—")

    def __init__(self, *args, version: FrameworkVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = selectors.delegation_candidates(version)
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.email} ({m.get_role_display()})"
        )
