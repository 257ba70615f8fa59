import pytest

from weerbaar.framework.models import FrameworkVersion, Step, StepComment
from weerbaar.knowledge.models import StepExample

from ..conftest import member


def step_url(version, step):
    return f"/g/demostad/kader/versies/{version.number}/stap/{step}/"


def post_data(client, version, step, url=None):
    """The step form as the browser would send it, unchanged."""
    response = client.get(url or step_url(version, step))
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data


def test_coordinator_starts_framework_and_sees_the_first_step(coordinator_client, catalogue):
    response = coordinator_client.post("/g/demostad/kader/starten/")
    assert response.status_code == 302
    version = FrameworkVersion.objects.get()
    assert response["Location"] == step_url(version, Step.VISION)
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Stap 1: Visie" in page
    assert "data-warn-unsaved" in page
    assert "Voorbeelden uit de kennisbank" in page


@pytest.mark.parametrize("step", Step.values)
def test_every_step_saves_explicitly(coordinator_client, draft, step):
    data = post_data(coordinator_client, draft, step)
    data["text"] = f"Onze tekst voor {step}"
    response = coordinator_client.post(step_url(draft, step), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = draft.steps.get(step=step)
    assert entry.text == f"Onze tekst voor {step}" and entry.revision == 1


def test_goals_and_principles_are_chosen_edited_and_linked_in_the_form(coordinator_client, draft):
    data = post_data(coordinator_client, draft, Step.GOALS)
    from weerbaar.knowledge.models import Principle, SecurityGoal

    beschermen = SecurityGoal.objects.get(slug="beschermen")
    data[f"goal_{beschermen.pk}"] = "on"
    data[f"goal_{beschermen.pk}_why"] = "Veilig werken"
    data["newgoal_name"] = "Weerbare raad"
    data["newgoal_why"] = "Intimidatie"
    assert coordinator_client.post(step_url(draft, Step.GOALS), data).status_code == 302
    assert sorted(draft.goals.values_list("name", flat=True)) == ["Beschermen", "Weerbare raad"]

    principle = Principle.objects.get(slug="beleid-risicogericht")
    # Principles are chosen one category at a time, each with its own save.
    overview = coordinator_client.get(step_url(draft, Step.PRINCIPLES)).content.decode()
    assert f"?categorie={principle.category.slug}" in overview and "0 gekozen" in overview
    category_url = step_url(draft, Step.PRINCIPLES) + f"?categorie={principle.category.slug}"
    data = post_data(coordinator_client, draft, Step.PRINCIPLES, url=category_url)
    goal = draft.goals.get(name="Beschermen")
    data[f"pr_{principle.pk}"] = "on"
    data[f"pr_{principle.pk}_text"] = "Onze eigen formulering"
    data[f"pr_{principle.pk}_goals"] = [str(goal.pk)]
    data["newpr_category"] = str(principle.category_id)
    data["newpr_text"] = "Raadsleden krijgen een veiligheidsgesprek"
    data["newpr_goals"] = [str(draft.goals.get(name="Weerbare raad").pk)]
    response = coordinator_client.post(category_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].endswith(f"?categorie={principle.category.slug}")  # back where the user was
    chosen = {p.text: [g.name for g in p.goals.all()] for p in draft.principles.all()}
    assert chosen == {
        "Onze eigen formulering": ["Beschermen"],
        "Raadsleden krijgen een veiligheidsgesprek": ["Weerbare raad"],
    }
    # Saving another category keeps this one's choices, and "save and next" moves on.
    other = Principle.objects.exclude(category=principle.category).first()
    other_url = step_url(draft, Step.PRINCIPLES) + f"?categorie={other.category.slug}"
    data = post_data(coordinator_client, draft, Step.PRINCIPLES, url=other_url)
    data[f"pr_{other.pk}"] = "on"
    data["then"] = "next"
    response = coordinator_client.post(other_url, data)
    assert response.status_code == 302 and f"?categorie={other.category.slug}" not in response["Location"]
    texts = set(draft.principles.values_list("text", flat=True))
    assert {"Onze eigen formulering", "Raadsleden krijgen een veiligheidsgesprek"} <= texts and len(texts) == 3
    page = coordinator_client.get(step_url(draft, Step.PRINCIPLES)).content.decode()
    assert "Elk gekozen doel wordt door minstens één uitgangspunt gediend." in page


def test_second_editor_is_told_and_shown_the_difference_with_text_kept(coordinator_client, draft, coordinator):
    from weerbaar.framework import services

    data = post_data(coordinator_client, draft, Step.VISION)  # opened at revision 0
    entry = draft.steps.get(step=Step.VISION)
    services.step_save(entry=entry, expected_revision=0, membership=coordinator, fields={"text": "Tekst van collega"})
    data["text"] = "Mijn eigen visie"
    response = coordinator_client.post(step_url(draft, Step.VISION), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Tekst van collega" in page  # the difference
    assert "Mijn eigen visie</textarea>" in page  # nothing typed is lost
    assert f"Laatst opgeslagen door {coordinator.user.get_full_name()}" in page  # who saved in between
    assert 'name="revision" value="1"' in page
    entry.refresh_from_db()
    assert entry.text == "Tekst van collega"
    # Saving again now overwrites knowingly.
    data["revision"] = "1"
    assert coordinator_client.post(step_url(draft, Step.VISION), data).status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Mijn eigen visie"


def test_inserting_an_example_fills_the_form_without_saving(coordinator_client, draft):
    example = StepExample.objects.filter(step__number=1).first()
    data = post_data(coordinator_client, draft, Step.VISION)
    data["insert_example"] = str(example.pk)
    response = coordinator_client.post(step_url(draft, Step.VISION), data)
    assert response.status_code == 200
    assert example.text.strip()[:60] in response.content.decode()
    assert "data-unsaved-on-load" in response.content.decode()
    assert draft.steps.get(step=Step.VISION).text == ""


@pytest.mark.parametrize("local", ["expert", "bestuur", "auditor", "lezer"])
def test_other_roles_read_but_cannot_save(client, login, draft, demostad, local):
    login(member(demostad, local).user)
    response = client.get(step_url(draft, Step.VISION))
    assert response.status_code == 200
    assert "stap-formulier" not in response.content.decode()
    assert client.post(step_url(draft, Step.VISION), {"text": "x", "revision": "0"}).status_code == 403
    assert client.post(f"/g/demostad/kader/versies/{draft.number}/indienen/").status_code in (302, 403)
    assert draft.steps.get(step=Step.VISION).text == ""
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_adopted_version_rejects_every_write_in_the_ui(coordinator_client, adopted):
    before = adopted.steps.get(step=Step.VISION).text
    response = coordinator_client.get(step_url(adopted, Step.VISION))
    assert "stap-formulier" not in response.content.decode()
    response = coordinator_client.post(step_url(adopted, Step.VISION), {"text": "x", "revision": "99"})
    assert response.status_code == 400
    assert adopted.steps.get(step=Step.VISION).text == before
    coordinator_client.post(f"/g/demostad/kader/versies/{adopted.number}/stap/visie/opmerkingen/", {"body": "x"})
    assert not StepComment.objects.exists()


def test_completeness_and_adoption_flow_through_the_pages(coordinator_client, client, login, complete_draft, board):
    page = coordinator_client.get(f"/g/demostad/kader/versies/{complete_draft.number}/").content.decode()
    assert "Alles is ingevuld" in page
    response = coordinator_client.post(f"/g/demostad/kader/versies/{complete_draft.number}/indienen/")
    assert response.status_code == 302
    login(board.user)
    response = client.post(
        f"/g/demostad/kader/versies/{complete_draft.number}/vaststellen/",
        {"adopted_on": "2026-04-14", "decision_reference": "B&W 2026/1", "adopted_by_body": "college van B&W"},
    )
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.status == "adopted" and complete_draft.decision_reference == "B&W 2026/1"


def test_incomplete_draft_lists_missing_items(coordinator_client, draft):
    page = coordinator_client.get(f"/g/demostad/kader/versies/{draft.number}/").content.decode()
    assert "Voordat deze versie kan worden ingediend, ontbreekt nog:" in page
    assert "de eigen visie" in page
    coordinator_client.post(f"/g/demostad/kader/versies/{draft.number}/indienen/")
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_comments_are_placed_and_resolved(client, login, coordinator_client, draft, demostad):
    login(member(demostad, "expert").user)
    client.post(f"/g/demostad/kader/versies/{draft.number}/stap/visie/opmerkingen/", {"body": "Korter graag"})
    comment = StepComment.objects.get()
    assert comment.author_name and comment.is_open
    login(member(demostad, "coordinator").user)
    page = client.get(step_url(draft, Step.VISION)).content.decode()
    assert "Korter graag" in page
    client.post(f"/g/demostad/kader/opmerkingen/{comment.pk}/afhandelen/")
    comment.refresh_from_db()
    assert not comment.is_open


def test_new_version_and_comparison_pages(coordinator_client, adopted):
    response = coordinator_client.post(f"/g/demostad/kader/versies/{adopted.number}/nieuwe-versie/")
    assert response.status_code == 302
    v2 = FrameworkVersion.objects.get(number=2)
    data = post_data(coordinator_client, v2, Step.VISION)
    data["text"] = "Nieuwe visie voor versie twee"
    coordinator_client.post(step_url(v2, Step.VISION), data)
    page = coordinator_client.get(f"/g/demostad/kader/versies/{v2.number}/vergelijken/?other={adopted.pk}")
    assert page.status_code == 200
    assert "<ins>" in page.content.decode() and "Nieuwe visie voor versie twee" in page.content.decode()


def test_step_pages_have_a_query_budget(coordinator_client, complete_draft, django_assert_max_num_queries):
    for step in Step.values:
        with django_assert_max_num_queries(60):
            assert coordinator_client.get(step_url(complete_draft, step)).status_code == 200
    with django_assert_max_num_queries(40):
        coordinator_client.get(f"/g/demostad/kader/versies/{complete_draft.number}/")


def test_save_and_next_step_goes_on_to_the_next_step(coordinator_client, draft):
    data = post_data(coordinator_client, draft, Step.VISION)
    data["text"] = "Een visie"
    data["then"] = "next"
    response = coordinator_client.post(step_url(draft, Step.VISION), data)
    assert response.status_code == 302 and response["Location"].endswith("/stap/scope/")
    data = post_data(coordinator_client, draft, Step.QUALITY)
    data["then"] = "next"
    response = coordinator_client.post(step_url(draft, Step.QUALITY), data)
    assert response["Location"].endswith(f"/kader/versies/{draft.number}/")
