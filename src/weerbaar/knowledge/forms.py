"""Editors' forms and the municipal submission form. Forms parse input; services write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.core import permissions

from .models import (
    BuildingBlock,
    ContentItem,
    FieldExample,
    FrameworkStep,
    GlossaryTerm,
    GovernanceVariant,
    Law,
    LawGroup,
    PdcaStep,
    Principle,
    ScopeElement,
    SecurityGoal,
    Status,
    Submission,
    Theme,
)
from .search import KIND_GROUPS, KINDS


class _KindField(forms.ChoiceField):
    """Offers the reader's groups; still accepts a single internal kind (older links use them)."""

    def valid_value(self, value):
        return super().valid_value(value) or value in KINDS


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Zoekterm"), required=False, max_length=200)
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Theme.objects.filter(status=Status.PUBLISHED),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle thema's"),
    )
    soort = _KindField(
        label=_("Wat zoekt u?"),
        required=False,
        choices=[("", _("Alles")), *((code, label) for code, (label, _kinds) in KIND_GROUPS.items())],
    )


class _EditorForm(forms.ModelForm):
    """Editors' forms: never saved directly, the view hands cleaned_data to a service.

    Pick lists offer no retired items, except those the item already refers to (so saving
    never silently drops a link).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            qs = getattr(field, "queryset", None)
            if qs is None or not issubclass(qs.model, ContentItem):
                continue
            keep = ~Q(status=Status.RETIRED)
            if self.instance.pk:
                if isinstance(field, forms.ModelMultipleChoiceField):
                    keep |= Q(pk__in=getattr(self.instance, name).values("pk"))
                elif getattr(self.instance, f"{name}_id", None):
                    keep |= Q(pk=getattr(self.instance, f"{name}_id"))
            field.queryset = qs.filter(keep)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BuildingBlockForm(_EditorForm):
    class Meta:
        model = BuildingBlock
        fields = [
            "title",
            "theme",
            "status",
            "summary",
            "what",
            "why",
            "how_to_start",
            "pitfalls",
            "good_looks_like",
            "related",
            "laws",
            "terms",
        ]
        widgets = {"related": forms.CheckboxSelectMultiple, "laws": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["related"].queryset = self.fields["related"].queryset.exclude(pk=self.instance.pk)


class GlossaryTermForm(_EditorForm):
    class Meta:
        model = GlossaryTerm
        fields = ["term", "status", "definition", "themes", "related"]
        widgets = {"themes": forms.CheckboxSelectMultiple}


class LawForm(_EditorForm):
    url = forms.URLField(label=_("adres"), required=False, assume_scheme="https")

    class Meta:
        model = Law
        fields = ["name", "status", "kind", "group", "reference", "url", "description", "last_checked", "themes"]
        widgets = {"themes": forms.CheckboxSelectMultiple, "last_checked": forms.DateInput(attrs={"type": "date"})}


class FieldExampleForm(_EditorForm):
    class Meta:
        model = FieldExample
        fields = ["title", "status", "kind", "theme", "body", "source"]


class SubmissionForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["theme", "kind", "title", "body", "anonymous"]
        help_texts = {"body": _("Opmaak: *schuin*, **vet**, lijstjes met een streepje.")}

    def __init__(self, *args, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        themes = Theme.objects.filter(status=Status.PUBLISHED)
        allowed = permissions.allowed_theme_ids(membership) if membership is not None else None
        if allowed is not None:
            themes = themes.filter(pk__in=allowed)
        self.fields["theme"].queryset = themes


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reden van afwijzing"), widget=forms.Textarea(attrs={"rows": 3}))


class ThemeForm(_EditorForm):
    class Meta:
        model = Theme
        fields = ["name", "name_en", "status", "summary", "body"]


class FrameworkStepForm(_EditorForm):
    class Meta:
        model = FrameworkStep
        fields = ["name", "status", "explanation", "why"]


class ScopeElementForm(_EditorForm):
    class Meta:
        model = ScopeElement
        fields = ["name", "status", "description"]


class SecurityGoalForm(_EditorForm):
    class Meta:
        model = SecurityGoal
        fields = ["name", "name_en", "status", "explanation"]


class PrincipleForm(_EditorForm):
    class Meta:
        model = Principle
        fields = ["text", "status", "category", "goals"]
        widgets = {"goals": forms.CheckboxSelectMultiple}


class PdcaStepForm(_EditorForm):
    class Meta:
        model = PdcaStep
        fields = ["name", "status", "explanation"]


class GovernanceVariantForm(_EditorForm):
    class Meta:
        model = GovernanceVariant
        fields = ["name", "status", "description", "suits_when"]


class LawReplaceForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("Vervangen door"),
        queryset=Law.objects.none(),
        empty_label=_("Kies de wet of norm die hem vervangt"),
        help_text=_(
            "De oude wet wordt buiten gebruik gesteld. Zijn pagina blijft bestaan en verwijst naar de opvolger; "
            "in de bijlage wettelijk kader van het strategisch kader staat voortaan de opvolger."
        ),
    )

    def __init__(self, *args, law: Law, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = (
            Law.objects.published().exclude(pk=law.pk).select_related("group").order_by("name")
        )


class LawFilterForm(forms.Form):
    naam = forms.CharField(label=_("Naam bevat"), required=False, max_length=100)
    groep = forms.ModelChoiceField(
        label=_("Onderwerp"),
        queryset=LawGroup.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle onderwerpen"),
    )
    soort = forms.ChoiceField(label=_("Soort"), required=False)
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Theme.objects.filter(status=Status.PUBLISHED),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle thema's"),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [("", _("Alle soorten")), *kinds]
