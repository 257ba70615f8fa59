"""Forms for organisations and members, and the NL Design System form renderer."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .models import PROVINCES, Membership, Organisation, Role


class UtrechtFormRenderer(TemplatesSetting):
    """Every form renders with Utrecht form-field markup, labels and linked error messages."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        # The theme model through the membership's relation: core does not import the knowledge app.
        theme_model = Membership._meta.get_field("themes").related_model
        kwargs.setdefault("queryset", theme_model.objects.order_by("order"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Beperkt tot thema's"))
        kwargs.setdefault("help_text", _("Alleen voor thema-experts. Geen keuze betekent: alle thema's."))
        super().__init__(**kwargs)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices, initial=Role.VIEWER)
    themes = ThemeChoiceField()


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    themes = ThemeChoiceField()


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["require_mfa", "primary_colour", "primary_text_colour"]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"placeholder": "#154273"}),
            "primary_text_colour": forms.TextInput(attrs={"placeholder": "#ffffff"}),
        }
        help_texts = {
            "primary_colour": _("Kleur van de kopbalk en knoppen, als #RRGGBB. Leeg: de standaardkleur."),
            "primary_text_colour": _("Tekstkleur op de huisstijlkleur; kies voldoende contrast (minstens 4,5:1)."),
        }

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
        help_text=_(
            "PNG of SVG, maximaal 512 kB. Het logo staat in de kopbalk en op de documenten die Weerbaar maakt. "
            "Word-documenten tonen alleen een PNG-logo. "
            "Een SVG met scripts of verwijzingen naar buiten wordt geweigerd."
        ),
    )
    remove_logo = forms.BooleanField(label=_("Huidig logo verwijderen"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.has_logo:
            del self.fields["remove_logo"]

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        from .logo import MAX_LOGO_BYTES, UnsafeImage, check_logo

        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                _("Het logo is te groot (%(size)s kB); het maximum is %(max)s kB.")
                % {"size": round(upload.size / 1024), "max": MAX_LOGO_BYTES // 1024}
            )
        content = upload.read()
        try:
            check_logo(upload.name, content)
        except UnsafeImage as e:
            raise forms.ValidationError(e.message)
        return (upload.name, content)

    def clean(self):
        data = super().clean()
        bg, fg = data.get("primary_colour"), data.get("primary_text_colour")
        if bg and fg:
            from .templatetags.weerbaar import contrast_ratio

            if contrast_ratio(bg, fg) < 4.5:
                self.add_error(
                    "primary_text_colour",
                    _("Het contrast tussen tekst en achtergrond is te laag (%(ratio).1f:1, minimaal 4,5:1).")
                    % {"ratio": contrast_ratio(bg, fg)},
                )
        elif bg and not fg:
            self.add_error("primary_text_colour", _("Kies ook een tekstkleur bij de huisstijlkleur."))
        return data


class OrganisationCreateForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "slug", "cbs_code", "province", "require_mfa"]
        help_texts = {"slug": _("Kleine letters, cijfers en streepjes; verschijnt in de adressen, bijv. 'utrecht'.")}

    province = forms.ChoiceField(label=_("Provincie"), choices=[("", "—"), *PROVINCES], required=False)


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Uw naam"), max_length=150)
    password1 = forms.CharField(
        label=_("Wachtwoord"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )
    password2 = forms.CharField(
        label=_("Wachtwoord (nogmaals)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De wachtwoorden zijn niet gelijk."))
        elif p1:
            try:
                validate_password(p1, get_user_model()(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek in onderwerp"), required=False)
    actor = forms.TypedChoiceField(label=_("Door"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Soort wijziging"), required=False)
    object_type = forms.ChoiceField(label=_("Soort gegeven"), required=False)
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actors, object_types, **kwargs):
        from .models import AuditEntry

        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Iedereen"))] + [(m.user_id, str(m.user)) for m in actors]
        self.fields["action"].choices = [("", _("Alle"))] + list(AuditEntry.Action.choices)
        self.fields["object_type"].choices = [("", _("Alle"))] + [(t, t) for t in object_types]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Omschrijving"), max_length=100, help_text=_("Waarvoor gebruikt u deze sleutel?"))
    valid_days = forms.TypedChoiceField(
        label=_("Geldig"),
        coerce=int,
        choices=[(30, _("30 dagen")), (90, _("90 dagen")), (365, _("1 jaar"))],
        initial=90,
    )
