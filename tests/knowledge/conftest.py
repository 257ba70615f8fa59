import pytest
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from weerbaar.knowledge.content import load_all
from weerbaar.knowledge.models import BuildingBlock, SearchDocument


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Loading all content takes seconds: do it once; each test's changes roll back.
    with django_db_blocker.unblock(), scopes_disabled():
        load_all()


@pytest.fixture
def content(db, themes):
    # A transactional test elsewhere may have flushed the database: load again if so.
    if not (BuildingBlock.objects.exists() and SearchDocument.objects.exists()):
        return load_all()
    return {"building_blocks": BuildingBlock.objects.count()}


@pytest.fixture
def editor(demo):
    return get_user_model().objects.get(email="redacteur@weerbaar.example")


@pytest.fixture
def editor_client(editor, login, content):
    return login(editor)
