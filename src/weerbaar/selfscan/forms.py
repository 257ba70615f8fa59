"""Forms of the self-scan: thin parsing; the rules live in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership
from weerbaar.knowledge.models import Bio2Measure, BuildingBlock, Theme

from .evidence import MAX_BYTES, check_evidence
from .models import ScanSettings
from .permissions import ASSIGNABLE_ROLES
from .selectors import PROVINCE_CHOICES, SIZE_CHOICES


def assignable_members(organisation):
    return (
        Membership.objects.filter(organisation=organisation, role__in=ASSIGNABLE_ROLES)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


class _AssignmentFields:
    """One 'who answers this theme' choice per theme (``theme_<id>``)."""

    def add_assignment_fields(self, organisation, theme_list, initial: dict | None = None):
        members = assignable_members(organisation)
        self.theme_fields = []
        for theme in theme_list:
            name = f"theme_{theme.pk}"
            self.fields[name] = forms.ModelChoiceField(
                queryset=members,
                required=False,
                label=theme.name,
                empty_label=_("— nog niemand —"),
                initial=(initial or {}).get(theme.pk),
            )
            self.fields[name].label_from_instance = lambda m: f"{m.user} ({m.get_role_display()})"
            self.theme_fields.append((theme, name))

    def assignments(self) -> dict:
        return {theme.pk: self.cleaned_data.get(name) for theme, name in self.theme_fields}


class RoundStartForm(_AssignmentFields, forms.Form):
    title = forms.CharField(
        label=_("Naam van de ronde"), max_length=120, help_text=_("Bijvoorbeeld: Zelfscan voorjaar 2026.")
    )
    due_date = forms.DateField(
        label=_("Uiterste datum voor antwoorden"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, organisation, theme_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_assignment_fields(organisation, theme_list)


class AssignmentForm(_AssignmentFields, forms.Form):
    def __init__(self, *args, organisation, theme_list, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_assignment_fields(organisation, theme_list, initial=current)


LEVEL_EMPTY = ""


class AnswerForm(forms.Form):
    """One question: a level (1–5, each described), a short justification and evidence."""

    level = forms.TypedChoiceField(
        label=_("Niveau"), required=False, coerce=int, empty_value=None, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Korte onderbouwing"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom dit niveau? Hoogstens 2000 tekens."),
    )
    evidence_url = forms.URLField(
        label=_("Link naar bewijs"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Bijvoorbeeld een document op intranet, beginnend met https://."),
    )
    evidence_file = forms.FileField(
        label=_("Of upload een bestand als bewijs"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG of tekst; hoogstens %(mb)s MB.")
        % {"mb": MAX_BYTES // 1024 // 1024},
    )
    remove_file = forms.BooleanField(label=_("Het bewaarde bestand verwijderen"), required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, answer, **kwargs):
        self.answer = answer
        initial = {
            "level": answer.level,
            "justification": answer.justification,
            "evidence_url": answer.evidence_url,
            "revision": answer.revision,
        }
        super().__init__(*args, prefix=f"a{answer.pk}", initial=initial, **kwargs)
        q = answer.question
        self.fields["level"].choices = [(n, f"{n}. {text}") for n, text in q.levels]
        self.fields["level"].label = _("Niveau bij vraag %(code)s") % {"code": q.code}
        if not answer.has_file:
            del self.fields["remove_file"]

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        return check_evidence(upload) if upload else None


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting bij het afsluiten (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Ik heb de antwoorden bekeken. Sluit de ronde af; daarna kan niets meer worden gewijzigd."),
        required=True,
        error_messages={"required": _("Bevestig dat u de ronde wilt afsluiten.")},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class SettingsForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = ScanSettings
        fields = ["benchmark_opt_in"]


class BenchmarkFilterForm(forms.Form):
    grootte = forms.ChoiceField(
        label=_("Grootteklasse"), required=False, choices=[("", _("Alle gemeenten"))] + SIZE_CHOICES
    )
    provincie = forms.ChoiceField(
        label=_("Provincie"), required=False, choices=[("", _("Alle provincies"))] + list(PROVINCE_CHOICES)
    )


class QuestionForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Thema"), queryset=Theme.objects.order_by("order"))
    code = forms.CharField(label=_("Code"), max_length=12, help_text=_("Kort en uniek in deze versie, bijv. IB-5."))
    text = forms.CharField(label=_("Vraag"), max_length=300)
    explanation = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    level_1 = forms.CharField(label=_("Niveau 1 (laagste)"), widget=forms.Textarea(attrs={"rows": 2}))
    level_2 = forms.CharField(label=_("Niveau 2"), widget=forms.Textarea(attrs={"rows": 2}))
    level_3 = forms.CharField(label=_("Niveau 3"), widget=forms.Textarea(attrs={"rows": 2}))
    level_4 = forms.CharField(label=_("Niveau 4"), widget=forms.Textarea(attrs={"rows": 2}))
    level_5 = forms.CharField(label=_("Niveau 5 (hoogste)"), widget=forms.Textarea(attrs={"rows": 2}))
    building_blocks = forms.ModelMultipleChoiceField(
        label=_("Bouwstenen die helpen"),
        required=False,
        queryset=BuildingBlock.objects.select_related("theme").order_by("theme__order", "order", "title"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    bio2_measures = forms.ModelMultipleChoiceField(
        label=_("BIO2-overheidsmaatregelen"),
        required=False,
        queryset=Bio2Measure.objects.order_by("order", "number"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Houd Ctrl (of Cmd) ingedrukt om meer dan één te kiezen."),
    )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "theme": d["theme"],
            "code": d["code"].strip(),
            "text": d["text"].strip(),
            "explanation": d["explanation"],
            "levels": [d[f"level_{n}"] for n in range(1, 6)],
            "building_blocks": list(d["building_blocks"]),
            "bio2_measures": list(d["bio2_measures"]),
        }
