from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership
from weerbaar.risks.forms import DATE, TEXT_MAX_LENGTH, RevisionField, RevisionMixin

from .models import PlanningMoment


class PlanningMomentForm(RevisionMixin, forms.ModelForm):
    revision = RevisionField()
    owner = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        label=_("Verantwoordelijke"),
        help_text=_("Krijgt een herinnering in de twee weken ervoor."),
    )

    class Meta:
        model = PlanningMoment
        fields = ["title", "date", "owner", "description"]
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"title": _("Bijvoorbeeld: kadernota in de raad, begroting vastgesteld, jaarrekening.")}

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
        self.fields["description"].max_length = TEXT_MAX_LENGTH
        self.fields["owner"].queryset = Membership.objects.filter(organisation=organisation).select_related("user")
        self.fields["owner"].label_from_instance = lambda m: m.user.get_full_name() or m.user.email


class CalendarFilterForm(forms.Form):
    soort = forms.MultipleChoiceField(label=_("Soort"), required=False, widget=forms.CheckboxSelectMultiple)
    mijn = forms.BooleanField(label=_("Alleen waarvoor ik verantwoordelijk ben"), required=False)
    te_laat = forms.BooleanField(label=_("Alleen wat te laat is"), required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = list(kinds)


class RemindersForm(forms.Form):
    reminders = forms.BooleanField(
        label=_("Stuur mij herinneringen per e-mail"),
        required=False,
        help_text=_("Eén bericht per dag met wat binnen veertien dagen moet en wat te laat is, alleen als er iets is."),
    )
