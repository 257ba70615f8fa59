"""The one permission gate: named rules, one question, asked the same way everywhere."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scope, scopes_disabled

from weerbaar.core import permissions
from weerbaar.core.audit import acting_as
from weerbaar.core.models import Role
from weerbaar.knowledge.content import load_catalogue
from weerbaar.knowledge.models import Theme
from weerbaar.risks.demo import load_risks_demo
from weerbaar.risks.models import Measure, MeasureConflict

from .conftest import member
from .factories import MembershipFactory, UserFactory

ROLES = ("coordinator", "expert", "bestuur", "auditor", "lezer")


def test_an_unknown_rule_name_raises_instead_of_refusing():
    with pytest.raises(permissions.UnknownRule):
        permissions.allowed(None, "risks.edit_everything")
    with pytest.raises(permissions.UnknownRule):
        permissions.require(None, "no_such_permission")


def test_rule_names_are_dotted():
    with pytest.raises(ValueError):
        permissions.register_rule("edit", lambda m, o: True)


def test_each_apps_rules_are_registered():
    names = set(permissions.registered_rules())
    expected = {f"core.{name}" for name in permissions.ROLE_PERMISSIONS} | {
        "core.national_editor",
        "core.national_administrator",
        "risks.view",
        "risks.manage_register",
        "risks.create_themed",
        "risks.edit_themes",
        "risks.edit_object",
        "risks.edit_conflict",
        "framework.edit",
        "framework.adopt",
        "framework.comment",
        "framework.withdraw",
        "knowledge.edit",
        "knowledge.submit",
    }
    assert expected <= names


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role.values))
def test_role_permissions_are_the_base_layer_of_the_gate(role):
    m = MembershipFactory(role=role)
    for name, roles in permissions.ROLE_PERMISSIONS.items():
        assert permissions.allowed(m, f"core.{name}") is (role in roles), name
        assert permissions.allowed(m, name) is (role in roles), name  # a bare name is core.<name>
    assert permissions.allowed(m, "framework.edit") is (role == Role.COORDINATOR)
    assert permissions.allowed(m, "framework.adopt") is (role == Role.BOARD)
    assert permissions.allowed(m, "framework.withdraw") is (role in (Role.COORDINATOR, Role.BOARD))


def test_no_membership_is_refused_by_every_member_rule():
    for name, found in permissions.registered_rules().items():
        if found.subject == permissions.MEMBER and name != "risks.edit_conflict":
            assert permissions.allowed(None, name) is False, name
    with pytest.raises(PermissionDenied):
        permissions.require(None, "core.view")


@pytest.mark.django_db
def test_national_rules_ask_the_person_also_through_a_membership():
    editor = UserFactory(national_role="editor")
    ordinary = MembershipFactory(role=Role.COORDINATOR)
    assert permissions.allowed(editor, "knowledge.edit")
    assert not permissions.allowed(ordinary, "knowledge.edit")
    assert not permissions.allowed(ordinary.user, "core.national_administrator")
    with scopes_disabled():
        as_member = MembershipFactory(user=editor)
    assert permissions.allowed(as_member, "knowledge.edit")


@pytest.fixture
def register(demo, themes):
    load_catalogue()
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_risks_demo(org)
    return org


def test_a_conflict_is_editable_only_by_a_member_who_may_edit_both_measures(register):
    with scopes_disabled():
        expert = member(register, "coordinator")
        expert.role = Role.EXPERT
        expert.save()
        a_theme, b_theme = Theme.objects.order_by("pk")[:2]
        expert.themes.set([a_theme])
        mine = Measure.objects.filter(organisation=register).first()
        other = Measure.objects.filter(organisation=register).exclude(pk=mine.pk).first()
        mine.themes.set([a_theme])
        other.themes.set([b_theme])
        conflict = MeasureConflict(organisation=register, measure_a=mine, measure_b=other, description="x")
    assert permissions.allowed(expert, "risks.edit_object", mine)
    assert not permissions.allowed(expert, "risks.edit_object", other)
    assert not permissions.allowed(expert, "risks.edit_conflict", conflict)
    assert not permissions.allowed(expert, "risks.edit_conflict", (mine, other))
    with scopes_disabled():
        other.themes.set([a_theme])
    assert permissions.allowed(expert, "risks.edit_conflict", (mine, other))


@pytest.mark.django_db
def test_templates_ask_the_gate_with_the_requests_membership():
    m = MembershipFactory(role=Role.BOARD)
    request = RequestFactory().get("/")
    request.membership, request.user = m, m.user
    template = Template(
        '{% load gate %}{% allowed "framework.adopt" as a %}{% allowed "framework.edit" as e %}{{ a }}/{{ e }}'
    )
    assert template.render(Context({"request": request})) == "True/False"


# --- every page offers only what the role may do ------------------------------------------

ACTION = re.compile(r"/(nieuw|bewerken|verwijderen|status)/")
HREF = re.compile(r'href="(/g/demostad/[^"#?]*)')


def _shape(path: str) -> str:
    return re.sub(r"/\d+/", "/<id>/", path)


def _org_only_paths() -> list[str]:
    """Every URL pattern that needs nothing but the municipality, resolved for Demostad."""
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                params = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
                if params == {"org"} and "^" not in route:
                    found.append("/" + re.sub(r"<(?:\w+:)?org>", "demostad", route))

    walk(get_resolver().url_patterns)
    return sorted(set(found))


@pytest.mark.parametrize("local", ROLES)
def test_pages_offer_no_action_link_the_role_is_refused(register, login, local):
    client = login(member(register, local).user)
    start = [p for p in _org_only_paths() if not p.endswith((".xlsx", ".pdf", ".docx"))]
    pages, seen_shapes = [], set()
    # The pages every pattern answers, then one of each kind of page they link to (detail pages).
    queue = list(start)
    while queue:
        path = queue.pop(0)
        shape = _shape(path)
        if shape in seen_shapes or ACTION.search(path) or path.endswith((".xlsx", ".pdf", ".docx")):
            continue
        seen_shapes.add(shape)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages.append((path, html))
        if path in start:
            queue.extend(h for h in HREF.findall(html) if not ACTION.search(h))
    assert len(pages) > 10
    checked, refused = set(), []
    for path, html in pages:
        for link in HREF.findall(html):
            if not ACTION.search(link) or _shape(link) in checked:
                continue
            checked.add(_shape(link))
            if client.get(link).status_code == 403:
                refused.append((path, link))
    assert not refused, refused
    if local in ("bestuur", "auditor", "lezer"):
        assert not any("/risico/" in _shape(link) for link in checked), checked
    if local == "coordinator":
        assert checked  # the walk did see action links


def test_the_gate_is_asked_the_same_way_by_a_service_and_a_view(register, login):
    """The service refuses what the page does not offer: an auditor posting is a 403 at both."""
    from weerbaar.risks import services

    auditor = member(register, "auditor")
    client = login(auditor.user)
    assert client.post("/g/demostad/risico/bedrijfsmiddelen/nieuw/", {"name": "x"}).status_code == 403
    with scope(organisation=register.pk), pytest.raises(PermissionDenied):
        services.asset_save(organisation=register, membership=auditor, asset=None, name="x", kind="building")
