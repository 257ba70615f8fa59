from functools import partial

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OrganisationSSO


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The login page has its own "forgot password" link after the button; a link inside
        # the password field's description would sit between the two fields in tab order.
        self.fields["password"].help_text = ""


class SSOStartForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)


class SSOSettingsForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=_("clientgeheim"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Wordt versleuteld bewaard en niet meer getoond. Leeg laten houdt het bewaarde geheim."),
    )

    class Meta:
        model = OrganisationSSO
        fields = ["enabled", "name", "issuer", "client_id", "email_domains", "allow_local_password"]
        field_classes = {"issuer": partial(forms.URLField, assume_scheme="https")}
