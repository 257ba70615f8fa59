from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.knowledge.models import FieldExample, Theme

from .files import ALLOWED_EXTENSIONS, MAX_BYTES
from .models import Attendance, Circle, Meeting, Post, Thread

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class RevisionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, max_value=2**31 - 1, **kwargs)


class CircleForm(forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = Circle
        fields = ["name", "kind", "description", "discoverable"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_(
            "Iemand die al een account in Weerbaar heeft, bijvoorbeeld de coördinator van een andere gemeente."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("Persoonlijk bericht"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class JoinRequestForm(forms.Form):
    circle = forms.ModelChoiceField(label=_("Leerkring"), queryset=Circle.objects.none(), empty_label=None)
    message = forms.CharField(
        label=_("Waarom wilt u meedoen?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, circles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circle"].queryset = circles


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class MeetingForm(forms.ModelForm):
    revision = RevisionField()
    online_url = forms.URLField(
        label=_("Link voor online deelnemen"),
        help_text=_("Een https-adres, bijvoorbeeld van Teams of Jitsi."),
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "location", "online_url", "agenda", "minutes"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, with_minutes=True, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]
        self.fields["starts_at"].help_text = _("Datum en tijd, bijvoorbeeld 2026-03-12 14:00.")
        if not with_minutes:
            del self.fields["minutes"]

    def clean(self):
        data = super().clean()
        if not data.get("location") and not data.get("online_url") and not self.has_error("online_url"):
            self.add_error("location", _("Geef een plaats of een link voor online deelnemen op."))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("Het einde ligt voor het begin. Controleer de tijden."))
        return data


class AttendanceForm(forms.Form):
    """One choice per member: present, excused, absent, or not recorded."""

    def __init__(self, *args, members, current, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("niet ingevuld")), *Attendance.Status.choices]
        for place in members:
            self.fields[f"m{place.pk}"] = forms.ChoiceField(
                label=place.name, choices=choices, required=False, initial=current.get(place.pk, "")
            )

    def statuses(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class ThreadForm(forms.ModelForm):
    body = forms.CharField(
        label=_("Eerste bericht"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Opmaak: *schuin*, **vet**, lijstjes met een streepje. Noem iemand met @ en de naam: @Jan Jansen."),
    )

    class Meta:
        model = Thread
        fields = ["title"]


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["body"]
        labels = {"body": _("Uw reactie")}
        widgets = {"body": forms.Textarea(attrs={"rows": 5, "maxlength": 20000})}
        help_texts = {
            "body": _(
                "Opmaak: *schuin*, **vet**, lijstjes met een streepje. Noem iemand met @ en de naam: @Jan Jansen."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = 20000


_FILE_HELP = _("Maximaal %(max)s MB. Soorten: %(types)s.") % {
    "max": MAX_BYTES // 1024 // 1024,
    "types": ", ".join(ALLOWED_EXTENSIONS),
}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Omschrijving"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("Bestand"), help_text=_FILE_HELP)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("Nieuwe versie"), help_text=_FILE_HELP)
    note = forms.CharField(label=_("Wat is er veranderd?"), required=False, max_length=300)


class PreferencesForm(forms.Form):
    digest = forms.BooleanField(
        label=_("Stuur mij eens per dag een e-mail met nieuwe berichten in deze leerkring"), required=False
    )
    mention_mail = forms.BooleanField(label=_("Stuur mij een e-mail als iemand mij noemt"), required=False)


class ShareForm(forms.Form):
    membership = forms.TypedChoiceField(label=_("Namens gemeente"), coerce=int)
    theme = forms.ModelChoiceField(label=_("Thema"), queryset=Theme.objects.order_by("order"))
    kind = forms.ChoiceField(label=_("Soort"), choices=FieldExample.Kind.choices)
    title = forms.CharField(label=_("Titel in de kennisbank"), max_length=200)
    anonymous = forms.BooleanField(
        label=_("Anoniem delen"),
        required=False,
        initial=True,
        help_text=_("Zonder de naam van uw gemeente publiceren."),
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {m.pk: m for m in memberships}
        self.fields["membership"].choices = [(m.pk, m.organisation.name) for m in memberships]
