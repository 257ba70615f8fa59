"""The theme expert edits what the rules promise: every risk and measure that carries one of their themes."""

import pytest
from django_scopes import scope

from weerbaar.core import permissions
from weerbaar.risks.models import Measure, Risk

from ..conftest import member

pytestmark = pytest.mark.django_db


def test_demo_expert_edits_the_risks_of_their_theme_and_is_offered_only_those(register, login):
    demostad = register
    expert = member(demostad, "expert")
    own = {t.pk for t in expert.themes.all()}
    assert own, "the demo expert is limited to a theme"
    with scope(organisation=demostad):
        risks = list(Risk.objects.filter(organisation=demostad).prefetch_related("themes"))
        theirs = [r for r in risks if {t.pk for t in r.themes.all()} & own]
        others = [r for r in risks if not {t.pk for t in r.themes.all()} & own]
        assert theirs and others
        assert all(permissions.allowed(expert, "risks.edit_object", r) for r in theirs)
        assert not any(permissions.allowed(expert, "risks.edit_object", r) for r in others)
        measure = Measure.objects.filter(organisation=demostad, themes__in=own).first()
    client = login(expert.user)
    base = "/g/demostad/risico/"
    assert client.get(f"{base}risicos/{theirs[0].pk}/bewerken/").status_code == 200
    assert client.get(f"{base}risicos/{others[0].pk}/bewerken/").status_code == 403
    assert client.get(f"{base}maatregelen/{measure.pk}/bewerken/").status_code == 200
    # The detail page offers editing only where the expert may edit.
    assert f"risicos/{theirs[0].pk}/bewerken/" in client.get(f"{base}risicos/{theirs[0].pk}/").content.decode()
    assert f"risicos/{others[0].pk}/bewerken/" not in client.get(f"{base}risicos/{others[0].pk}/").content.decode()
