"""Select lists start with a Dutch "— kies —", never Django's row of dashes."""

import pytest
from django import forms
from django_scopes import scopes_disabled

from weerbaar.cycle.models import Action

pytestmark = pytest.mark.django_db


def test_foreign_key_and_choice_fields_offer_a_dutch_empty_choice():
    with scopes_disabled():

        class ActionOwnerForm(forms.ModelForm):
            class Meta:
                model = Action
                fields = ["owner"]

        html = ActionOwnerForm()["owner"].as_widget()
    assert "— kies —" in html and "---------" not in html
