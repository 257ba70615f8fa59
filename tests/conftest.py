import pytest
from django_scopes import scope, scopes_disabled

from weerbaar.core.demo import load_demo
from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.knowledge.content import load_themes

from .factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # Fixtures build data across municipalities; test bodies stay scoped, so a query that
    # forgets its scope raises in a test just as it would in a request.
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Demo users are created for most tests; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def themes(db):
    load_themes()


@pytest.fixture
def demo(db, themes):
    return {o.slug: o for o in load_demo()}


@pytest.fixture
def demostad(demo) -> Organisation:
    return demo["demostad"]


@pytest.fixture
def voorbeeldrecht(demo) -> Organisation:
    return demo["voorbeeldrecht"]


def member(org: Organisation, local: str) -> Membership:
    with scopes_disabled():
        return Membership.objects.select_related("user", "organisation").get(
            organisation=org, user__email=f"{local}@{org.slug}.example"
        )


@pytest.fixture
def login(client):
    """Log the test client in as a user; returns the client."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def coordinator_client(demostad, login):
    return login(member(demostad, "coordinator").user)


@pytest.fixture
def org_scope():
    """Open a municipality's scope inside a test body."""
    return lambda org: scope(organisation=org.pk)


__all__ = ["MembershipFactory", "OrganisationFactory", "UserFactory", "Role"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded files of a test go to a temporary folder, never into the working tree's var/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fresh_kept_answers():
    """Each test starts without kept API list answers or kept figures: the test database is rolled
    back after every test, so data versions (and, on SQLite, ids) repeat from one test to the next."""
    from weerbaar.api import listcache
    from weerbaar.core import dataversion

    listcache.store.clear()
    dataversion.forget_kept()
    yield
    listcache.store.clear()
    dataversion.forget_kept()
