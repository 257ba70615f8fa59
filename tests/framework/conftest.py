import pytest
from django_scopes import scope, scopes_disabled

from weerbaar.framework import services
from weerbaar.framework.demo import _fill
from weerbaar.knowledge.content import load_catalogue, load_laws
from weerbaar.knowledge.models import SecurityGoal

from ..conftest import member


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    # Test bodies here act inside Demostad, as a request would.
    org = item.funcargs.get("demostad")
    if org is None:
        yield
        return
    with scope(organisation=org.pk):
        yield


def _load_catalogue():
    load_laws()
    load_catalogue()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The national catalogue (goals, principles, steps, laws) is read-only here: load it once.
    with django_db_blocker.unblock(), scopes_disabled():
        _load_catalogue()


@pytest.fixture
def catalogue(db, themes):
    # A transactional test elsewhere may have flushed the database: load again if so.
    if not SecurityGoal.objects.exists():
        _load_catalogue()


@pytest.fixture
def coordinator(demostad, catalogue):
    return member(demostad, "coordinator")


@pytest.fixture
def board(demostad):
    return member(demostad, "bestuur")


@pytest.fixture
def framework(demostad, coordinator):
    with scope(organisation=demostad.pk):
        return services.framework_start(organisation=demostad, membership=coordinator)


@pytest.fixture
def draft(framework):
    with scope(organisation=framework.organisation_id):
        return framework.versions.get()


@pytest.fixture
def complete_draft(draft, coordinator):
    with scope(organisation=draft.organisation_id):
        _fill(draft, coordinator)
        draft.refresh_from_db()
    return draft


@pytest.fixture
def adopted(complete_draft, coordinator, board):
    import datetime

    with scope(organisation=complete_draft.organisation_id):
        services.version_submit(version=complete_draft, membership=coordinator)
        return services.version_adopt(
            version=complete_draft,
            membership=board,
            adopted_on=datetime.date(2026, 4, 14),
            decision_reference="B&W 2026/0412",
            adopted_by_body="college van burgemeester en wethouders",
        )
