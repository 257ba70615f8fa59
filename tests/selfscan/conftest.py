import pytest
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.core.audit import acting_as
from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.selfscan import services
from weerbaar.selfscan.content import load_questionnaire
from weerbaar.selfscan.models import Answer, ScanSettings

from ..conftest import member
from ..factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def questionnaire(db, themes):
    from weerbaar.knowledge.content import load_building_blocks

    with acting_as(None):
        load_building_blocks()
        return load_questionnaire()


@pytest.fixture
def coordinator(demostad):
    return member(demostad, "coordinator")


@pytest.fixture
def expert(demostad):
    return member(demostad, "expert")


@pytest.fixture
def open_round(demostad, questionnaire, coordinator, expert):
    """Demostad's round: information security assigned to the expert, the rest to the coordinator."""
    from weerbaar.knowledge.models import Theme

    with scopes_disabled(), acting_as(coordinator.user):
        themes = {t.slug: t.pk for t in Theme.objects.all()}
        assignments = dict.fromkeys(themes.values(), coordinator)
        assignments[themes["informatiebeveiliging"]] = expert
        return services.round_start(
            organisation=demostad, membership=coordinator, title="Zelfscan 2026", assignments=assignments
        )


def answer_all(scan_round, membership, level_of=lambda a: 3):
    """Answer every question of a round directly (fixtures; tests use the services)."""
    with scopes_disabled():
        for a in Answer.objects.filter(scan_round=scan_round).select_related("question"):
            a.level = level_of(a)
            a.answered_by = membership
            a.save()


def close(scan_round, membership):
    with scopes_disabled(), acting_as(membership.user):
        return services.round_close(membership=membership, scan_round=scan_round)


def make_participant(name, *, province="UT", inhabitants=30_000, levels=3, questionnaire=None, opt_in=True):
    """A municipality that took part: one closed round with every answer at ``levels``."""
    with scopes_disabled(), acting_as(None):
        org = OrganisationFactory(name=name, slug=name.lower(), province=province, inhabitants=inhabitants)
        coordinator = MembershipFactory(
            organisation=org, user=UserFactory(email=f"coordinator@{org.slug}.example"), role=Role.COORDINATOR
        )
        scan_round = services.round_start(organisation=org, membership=coordinator, title="Scan")
        answer_all(scan_round, coordinator, lambda a: levels)
        services.round_close(membership=coordinator, scan_round=scan_round)
        ScanSettings.objects.update_or_create(organisation=org, defaults={"benchmark_opt_in": opt_in})
    return org


@pytest.fixture
def api_client(client, coordinator):
    with scopes_disabled():
        _token, raw = api_token_create(membership=coordinator, name="test")

    def call(method, path, body=None, **params):
        import json

        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        if body is not None:
            return client.generic(method.upper(), path, json.dumps(body), "application/json", **kwargs)
        return getattr(client, method.lower())(path, params, **kwargs)

    return call


__all__ = ["Membership", "Organisation", "member"]
