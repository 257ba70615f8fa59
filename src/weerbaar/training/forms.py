"""Forms of the training plan: they parse input; the services decide."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership
from weerbaar.risks.forms import DATE, TEXT_MAX_LENGTH, RevisionField, RevisionMixin

from .models import MAX_PEOPLE, Activity, Session, StaffGroup


class _RevisionModelForm(RevisionMixin, forms.ModelForm):
    revision = RevisionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
        for name in ("description", "evaluation"):
            if name in self.fields:
                self.fields[name].max_length = TEXT_MAX_LENGTH
                self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))


class GroupForm(_RevisionModelForm):
    class Meta:
        model = StaffGroup
        fields = ["name", "size", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(_RevisionModelForm):
    groups = forms.ModelMultipleChoiceField(
        queryset=StaffGroup.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Doelgroepen")
    )
    owner = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        label=_("Verantwoordelijke"),
        help_text=_("Krijgt herinneringen voor de geplande data."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "groups",
            "frequency",
            "first_year",
            "last_year",
            "owner",
            "board_cyber_training",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = StaffGroup.objects.filter(organisation=organisation).order_by("order", "name")
        self.fields["owner"].queryset = Membership.objects.filter(organisation=organisation).select_related("user")
        self.fields["owner"].label_from_instance = lambda m: m.user.get_full_name() or m.user.email
        for name in ("first_year", "last_year"):
            self.fields[name].widget.attrs.update({"min": 2000, "max": 2100})


class SessionForm(_RevisionModelForm):
    class Meta:
        model = Session
        fields = ["date", "status", "location", "evaluation"]
        widgets = {"date": DATE, "evaluation": forms.Textarea(attrs={"rows": 5})}


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek in titel en omschrijving"), required=False, max_length=200)
    soort = forms.ChoiceField(
        label=_("Soort"), required=False, choices=[("", _("Alle soorten")), *Activity.Kind.choices]
    )
    groep = forms.TypedChoiceField(label=_("Doelgroep"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        groups = StaffGroup.objects.filter(organisation=organisation).order_by("order", "name")
        self.fields["groep"].choices = [("", _("Alle doelgroepen")), *((g.pk, g.name) for g in groups)]


class ParticipationForm(forms.Form):
    """One number (and optional names) per group the activity is aimed at."""

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        current = {p.group_id: p for p in session.participations.all()}
        self.groups = list(session.activity.groups.all().order_by("order", "name"))
        for g in self.groups:
            p = current.get(g.pk)
            size = _(" (groep: %(n)s personen)") % {"n": g.size} if g.size is not None else ""
            self.fields[f"count_{g.pk}"] = forms.IntegerField(
                label=_("Aantal deelnemers %(group)s") % {"group": g.name} + size,
                required=False,
                min_value=0,
                max_value=MAX_PEOPLE,
                initial=p.participants if p else None,
            )
            self.fields[f"names_{g.pk}"] = forms.CharField(
                label=_("Namen %(group)s (niet verplicht)") % {"group": g.name},
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=p.names if p else "",
            )

    def counts(self) -> dict[int, tuple[int | None, str]]:
        return {
            g.pk: (self.cleaned_data.get(f"count_{g.pk}"), self.cleaned_data.get(f"names_{g.pk}") or "")
            for g in self.groups
        }
