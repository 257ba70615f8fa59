"""Threads and replies: Markdown sanitised as in the knowledge base, mentions that notify, and a
daily digest that never sends a post twice and respects each member's choice."""

from django.core import mail
from django.core.management import call_command

from weerbaar.circles import services, tasks
from weerbaar.circles.models import DigestDelivery
from weerbaar.knowledge.templatetags.knowledge import render_markdown

from .conftest import place_of


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_both_members_post_and_see_each_others_posts(client, people, circle):
    _login(client, people["facilitator"])
    response = client.post(f"/leerkringen/{circle.pk}/discussie/", {"title": "Oefenen", "body": "Wie oefent er?"})
    assert response.status_code == 302
    thread_url = response["Location"]
    _login(client, people["other"])
    response = client.post(thread_url, {"body": "Wij, elk **kwartaal**."})
    assert response.status_code == 302
    page = client.get(thread_url).content.decode()
    assert "Wie oefent er?" in page
    assert "<strong>kwartaal</strong>" in page
    assert "Coördinator Demostad (Demostad)" in page


def test_posts_are_sanitised_exactly_as_the_knowledge_base_does(client, people, circle):
    body = "Kijk <script>alert(1)</script> [hier](javascript:alert(1)) <img src=x onerror=alert(1)> en [dit](https://example.org)"
    thread = services.thread_create(user=people["facilitator"], circle=circle, title="Veilig", body=body)
    _login(client, people["other"])
    page = client.get(f"/leerkringen/onderwerp/{thread.pk}/").content.decode()
    assert "<script>alert" not in page and "onerror" not in page and "javascript:" not in page
    assert render_markdown(body, 3) in page
    assert 'href="https://example.org"' in page


def test_a_reply_without_text_is_refused_at_the_field(client, people, circle):
    thread = services.thread_create(user=people["facilitator"], circle=circle, title="Vraag", body="Tekst")
    _login(client, people["other"])
    response = client.post(f"/leerkringen/onderwerp/{thread.pk}/", {"body": "   "})
    assert response.status_code == 400
    assert "Controleer het formulier" in response.content.decode()


def test_a_mention_notifies_the_member_named(people, circle):
    mail.outbox.clear()
    thread = services.thread_create(user=people["facilitator"], circle=circle, title="Vraag", body="Start")
    post = services.post_create(
        user=people["facilitator"], thread=thread, body="Wat vindt @Coördinator Voorbeeldrecht ervan?"
    )
    assert list(post.mentions.all()) == [people["other"]]
    # on_commit runs at the end of the test transaction only; run the job as the worker would.
    assert tasks.send_mentions.call(post_id=post.pk) == 1
    assert mail.outbox[-1].to == ["coordinator@voorbeeldrecht.example"]
    assert "Coördinator Demostad noemde u" in mail.outbox[-1].subject


def test_the_mention_mail_links_to_the_thread_at_the_site_url(people, circle, settings):
    settings.SITE_URL = "https://weerbaar.gemeente.example"
    thread = services.thread_create(user=people["facilitator"], circle=circle, title="Vraag", body="Start")
    post = services.post_create(user=people["facilitator"], thread=thread, body="@Coördinator Voorbeeldrecht?")
    mail.outbox.clear()
    assert tasks.send_mentions.call(post_id=post.pk) == 1
    assert f"https://weerbaar.gemeente.example/leerkringen/onderwerp/{thread.pk}/" in mail.outbox[-1].body


def test_a_member_who_turned_mentions_off_gets_no_mail(people, circle):
    services.member_preferences(user=people["other"], circle=circle, digest=True, mention_mail=False)
    thread = services.thread_create(user=people["facilitator"], circle=circle, title="Vraag", body="Start")
    post = services.post_create(user=people["facilitator"], thread=thread, body="@Coördinator Voorbeeldrecht?")
    mail.outbox.clear()
    assert tasks.send_mentions.call(post_id=post.pk) == 0
    assert mail.outbox == []


def test_a_name_of_someone_outside_the_circle_is_no_mention(people, circle):
    thread = services.thread_create(user=people["facilitator"], circle=circle, title="Vraag", body="Hallo @Olga Buiten")
    assert not thread.posts.get().mentions.exists()


def test_the_digest_sends_each_new_post_once_and_never_ones_own(people, circle):
    thread = services.thread_create(user=people["facilitator"], circle=circle, title="Oefenen", body="Eerste bericht")
    services.post_create(user=people["other"], thread=thread, body="Antwoord uit Voorbeeldrecht")
    mail.outbox.clear()

    assert tasks.send_digests.call() == 2
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "Antwoord uit Voorbeeldrecht" in by_person["coordinator@demostad.example"]
    assert "Eerste bericht" not in by_person["coordinator@demostad.example"]  # their own
    assert "Eerste bericht" in by_person["coordinator@voorbeeldrecht.example"]
    assert f"/leerkringen/onderwerp/{thread.pk}/" in by_person["coordinator@voorbeeldrecht.example"]

    mail.outbox.clear()
    assert tasks.send_digests.call() == 0  # nothing new: nothing sent twice
    assert mail.outbox == []

    services.post_create(user=people["other"], thread=thread, body="Nog een antwoord")
    tasks.send_digests.call()
    assert len(mail.outbox) == 1
    assert "Nog een antwoord" in mail.outbox[0].body and "Antwoord uit Voorbeeldrecht" not in mail.outbox[0].body
    assert DigestDelivery.objects.filter(member=place_of(people["facilitator"], circle)).count() == 2


def test_a_member_who_opted_out_gets_no_digest(client, people, circle):
    _login(client, people["other"])
    response = client.post(f"/leerkringen/{circle.pk}/e-mail/", {"mention_mail": "on"})
    assert response.status_code == 302
    assert place_of(people["other"], circle).digest is False
    services.thread_create(user=people["facilitator"], circle=circle, title="Nieuws", body="Iets nieuws")
    mail.outbox.clear()
    tasks.send_digests.call()
    assert [m.to for m in mail.outbox] == []


def test_the_digest_command_enqueues_the_job(people, circle):
    services.thread_create(user=people["facilitator"], circle=circle, title="Nieuws", body="Iets nieuws")
    mail.outbox.clear()
    call_command("send_circle_digests")
    assert [m.to for m in mail.outbox] == [["coordinator@voorbeeldrecht.example"]]


def test_the_daily_digest_keeps_itself_going_in_the_worker(people, circle, settings, capsys):
    """`make serve` starts the chain once; each run sends the digests and queues the next
    morning's run, so no cron is needed and a restart does not start a second chain."""
    import datetime

    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("send_circle_digests", "--schedule")
    call_command("send_circle_digests", "--schedule")
    assert "al een run klaar" in capsys.readouterr().out
    waiting = DBTaskResult.objects.filter(task_path=tasks.daily_digests.module_path)
    assert waiting.count() == 1
    assert waiting.get().run_after > datetime.datetime.now(datetime.UTC)

    waiting.delete()  # as the worker takes it
    services.thread_create(user=people["facilitator"], circle=circle, title="Nieuws", body="Iets nieuws")
    mail.outbox.clear()
    assert tasks.daily_digests.call() == 1
    assert [m.to for m in mail.outbox] == [["coordinator@voorbeeldrecht.example"]]
    assert waiting.count() == 1  # tomorrow's run
