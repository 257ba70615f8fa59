import pytest
from django_scopes import scopes_disabled

from weerbaar.circles import services
from weerbaar.circles.models import CircleMember

from ..conftest import member
from ..factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def people(demo):
    """A facilitator (Demostad coordinator), a member from Voorbeeldrecht and an outsider of a third municipality."""
    with scopes_disabled():
        outsider_org = OrganisationFactory(slug="buitendorp", name="Buitendorp")
        outsider = MembershipFactory(
            organisation=outsider_org,
            user=UserFactory(email="coordinator@buitendorp.example", full_name="Olga Buiten"),
            role="coordinator",
        ).user
        return {
            "facilitator": member(demo["demostad"], "coordinator").user,
            "other": member(demo["voorbeeldrecht"], "coordinator").user,
            "expert": member(demo["demostad"], "expert").user,
            "outsider": outsider,
            "demostad": demo["demostad"],
            "voorbeeldrecht": demo["voorbeeldrecht"],
        }


@pytest.fixture
def circle(people):
    """A circle run by Demostad's coordinator, with Voorbeeldrecht's coordinator as an active member."""
    c = services.circle_create(user=people["facilitator"], name="Regio Test", description="Over **oefenen**.")
    place = services.member_invite(user=people["facilitator"], circle=c, email="coordinator@voorbeeldrecht.example")
    services.invitation_answer(user=people["other"], place=place, accept=True)
    return c


def place_of(user, circle) -> CircleMember:
    return CircleMember.objects.get(user=user, circle=circle)
