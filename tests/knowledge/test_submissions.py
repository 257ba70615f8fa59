from django_scopes import scopes_disabled

from weerbaar.knowledge.models import FieldExample, Submission, Theme

from ..conftest import member

URL = "/g/demostad/kennisbank/bijdragen/"


def submit(client, **extra):
    theme = Theme.objects.get(slug="informatiebeveiliging")
    data = {"theme": theme.pk, "kind": "tip", "title": "Onze tip", "body": "Doe **dit**.", "anonymous": ""}
    data.update(extra)
    return client.post(URL, data)


def only_submission() -> Submission:
    with scopes_disabled():
        return Submission.objects.select_related("organisation").get()


def test_coordinator_offers_a_tip_and_sees_its_status(content, demostad, coordinator_client):
    response = submit(coordinator_client)
    assert response.status_code == 302
    submission = only_submission()
    assert submission.organisation == demostad
    assert submission.state == Submission.State.SUBMITTED
    page = coordinator_client.get(URL).content.decode()
    assert "Onze tip" in page and "Ingediend" in page


def test_viewer_sees_the_list_but_cannot_submit(content, demostad, login):
    client = login(member(demostad, "lezer").user)
    assert client.get(URL).status_code == 200
    assert submit(client).status_code == 403
    with scopes_disabled():
        assert not Submission.objects.exists()


def test_expert_can_only_submit_for_own_themes(content, demostad, login):
    client = login(member(demostad, "expert").user)
    other = Theme.objects.get(slug="integriteit")
    assert submit(client, theme=other.pk).status_code == 400
    assert submit(client).status_code == 302


def test_editor_publishes_with_the_municipalitys_name(content, demostad, coordinator_client, editor, login):
    submit(coordinator_client)
    submission = only_submission()
    editor_client = login(editor)
    review = editor_client.get("/kennisbank/redactie/").content.decode()
    assert "Onze tip" in review and "Demostad" in review
    response = editor_client.post(f"/kennisbank/redactie/bijdragen/{submission.pk}/", {"action": "publish"})
    assert response.status_code == 302
    example = FieldExample.objects.get(title="Onze tip")
    assert example.source == "Demostad"
    theme_page = editor_client.get("/kennisbank/thema/informatiebeveiliging/").content.decode()
    assert "Bron: gemeente Demostad" in theme_page
    assert only_submission().state == Submission.State.PUBLISHED
    # Publishing twice is refused.
    again = editor_client.post(f"/kennisbank/redactie/bijdragen/{submission.pk}/", {"action": "publish"})
    assert again.status_code == 400


def test_anonymous_submission_is_published_without_a_name(content, coordinator_client, editor, login):
    submit(coordinator_client, anonymous="on", title="Anonieme tip")
    submission = only_submission()
    login(editor).post(f"/kennisbank/redactie/bijdragen/{submission.pk}/", {"action": "publish"})
    example = FieldExample.objects.get(title="Anonieme tip")
    assert example.source == ""
    assert "Bron: anoniem" in login(editor).get("/kennisbank/thema/informatiebeveiliging/").content.decode()


def test_rejection_needs_a_reason_that_the_municipality_sees(content, demostad, editor, login):
    submit(login(member(demostad, "coordinator").user))
    submission = only_submission()
    editor_client = login(editor)
    url = f"/kennisbank/redactie/bijdragen/{submission.pk}/"
    assert editor_client.post(url, {"action": "reject", "reason": ""}).status_code == 400
    assert editor_client.post(url, {"action": "reject", "reason": "Te algemeen."}).status_code == 302
    assert only_submission().state == Submission.State.REJECTED
    page = login(member(demostad, "lezer").user).get(URL).content.decode()
    assert "Te algemeen." in page
    assert not FieldExample.objects.filter(title="Onze tip").exists()


def test_municipal_users_cannot_review(content, demostad, coordinator_client):
    submit(coordinator_client)
    submission = only_submission()
    url = f"/kennisbank/redactie/bijdragen/{submission.pk}/"
    assert coordinator_client.get("/kennisbank/redactie/").status_code == 403
    assert coordinator_client.get(url).status_code == 403
    assert coordinator_client.post(url, {"action": "publish"}).status_code == 403
    assert only_submission().state == Submission.State.SUBMITTED


def test_another_municipality_does_not_see_the_submission(content, demostad, voorbeeldrecht, coordinator_client, login):
    submit(coordinator_client)
    other = login(member(voorbeeldrecht, "coordinator").user)
    assert "Onze tip" not in other.get("/g/voorbeeldrecht/kennisbank/bijdragen/").content.decode()
    assert other.get(URL).status_code == 404


def test_submissions_page_query_budget(content, demostad, coordinator_client, django_assert_max_num_queries):
    theme = Theme.objects.get(slug="informatiebeveiliging")
    with scopes_disabled():
        Submission.objects.bulk_create(
            [Submission(organisation=demostad, theme=theme, title=f"Tip {i}", body="x") for i in range(100)]
        )
    with django_assert_max_num_queries(20):
        assert coordinator_client.get(URL).status_code == 200


def test_knowledge_base_links_to_sharing_an_example(content, demostad, coordinator_client):
    coordinator_client.get("/g/demostad/")
    page = coordinator_client.get("/kennisbank/").content.decode()
    assert 'href="/g/demostad/kennisbank/bijdragen/"' in page
