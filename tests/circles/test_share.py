"""Sharing an example from a circle with the national knowledge base goes through the knowledge
base's own submission and review flow."""

from django_scopes import scopes_disabled

from weerbaar.circles import services
from weerbaar.knowledge.models import Submission, Theme


def test_an_author_offers_their_post_to_the_knowledge_base_as_a_submission(client, people, circle):
    thread = services.thread_create(
        user=people["other"], circle=circle, title="Oefenen met de raad", body="Wij oefenen met dilemmakaarten."
    )
    post = thread.posts.get()
    theme = Theme.objects.order_by("order").first()
    client.force_login(people["other"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/leerkringen/onderwerp/{thread.pk}/").content.decode()
    assert "Dit bericht aanbieden aan de kennisbank" in page
    with scopes_disabled():
        membership_id = people["other"].memberships.get().pk
    response = client.post(
        f"/leerkringen/bericht/{post.pk}/kennisbank/",
        {
            "membership": membership_id,
            "theme": theme.pk,
            "kind": "example",
            "title": "Dilemmakaarten",
            "anonymous": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        submission = Submission.objects.get()
    assert submission.organisation == people["voorbeeldrecht"]
    assert submission.state == Submission.State.SUBMITTED
    assert submission.body == "Wij oefenen met dilemmakaarten."
    assert submission.submitted_by == people["other"]


def test_only_the_author_may_offer_a_post(client, people, circle):
    thread = services.thread_create(user=people["other"], circle=circle, title="Vraag", body="Tekst")
    client.force_login(people["facilitator"], backend="django.contrib.auth.backends.ModelBackend")
    assert "aanbieden aan de kennisbank" not in client.get(f"/leerkringen/onderwerp/{thread.pk}/").content.decode()
    assert client.get(f"/leerkringen/bericht/{thread.posts.get().pk}/kennisbank/").status_code == 403
    with scopes_disabled():
        assert not Submission.objects.exists()
