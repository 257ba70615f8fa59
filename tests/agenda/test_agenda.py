import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from weerbaar.agenda import selectors, services
from weerbaar.agenda.demo import load_agenda_demo
from weerbaar.agenda.models import MemberAgenda, PlanningMoment, ReminderLog
from weerbaar.core.audit import acting_as
from weerbaar.risks.models import Risk
from weerbaar.training.demo import load_training_demo

from ..conftest import member

TODAY = datetime.date.today()
BASE = "/g/demostad/kalender/"


@pytest.fixture
def cal(register):
    org = register
    with scopes_disabled(), acting_as(None):
        load_training_demo(org)
        load_agenda_demo(org)
    return org


def _moment(org, owner, days, title="Begroting naar de raad"):
    with scopes_disabled():
        return PlanningMoment.objects.create(
            organisation=org, title=title, date=TODAY + datetime.timedelta(days=days), owner=owner
        )


def test_year_view_lists_ensia_and_accountability_dates_by_month(cal, login):
    client = login(member(cal, "lezer").user)
    response = client.get(BASE + "?jaar=2027")
    body = response.content.decode()
    assert response.status_code == 200
    assert "ENSIA-zelfevaluatie 2027 gaat open" in body
    assert "ENSIA-zelfevaluatie 2027 afronden" in body
    assert "Verantwoording ENSIA over 2026: collegeverklaring en assurancerapport" in body
    july = body.index('id="maand-07"')
    assert body.index("ENSIA-zelfevaluatie 2027 gaat open") > july
    assert body.index("ENSIA-zelfevaluatie 2027 gaat open") < body.index('id="maand-08"')
    assert '<time datetime="2027-05-01">' in body


def test_calendar_marks_overdue_and_filters_by_kind(cal, login):
    coordinator = member(cal, "coordinator")
    _moment(cal, coordinator, -3, "Voorjaarsnota")
    with scopes_disabled():
        risk = Risk.objects.filter(organisation=cal).first()
        Risk.objects.filter(pk=risk.pk).update(review_date=TODAY - datetime.timedelta(days=2))
    client = login(coordinator.user)
    body = client.get(BASE + f"?jaar={(TODAY - datetime.timedelta(days=2)).year}").content.decode()
    assert "herbeoordelen" in body and "Te laat" in body
    only = client.get(BASE + f"?jaar={TODAY.year}&soort=training").content.decode()
    assert "Phishingtest" in only
    assert "ENSIA-zelfevaluatie" not in only


def test_entries_include_other_apps_sources_and_respect_the_member(cal):
    board = member(cal, "bestuur")
    with scope(organisation=cal.pk):
        items = selectors.entries(board, datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31))
    sources = {i.source for i in items}
    assert {"ensia", "planning", "training"} <= sources


def test_settings_page_is_the_coordinators(cal, login):
    assert login(member(cal, "bestuur").user).get(BASE + "instellingen/").status_code == 403
    client = login(member(cal, "coordinator").user)
    assert "Kadernota naar de raad" in client.get(BASE + "instellingen/").content.decode()
    response = client.post(BASE + "instellingen/nieuw/", {"title": "Zomernota", "date": "niet-een-datum"})
    assert response.status_code == 400 and "Zomernota" in response.content.decode()
    response = client.post(BASE + "instellingen/nieuw/", {"title": "Zomernota", "date": f"{TODAY.year}-08-20"})
    assert response.status_code == 302
    assert "Zomernota" in client.get(BASE + f"?jaar={TODAY.year}").content.decode()
    # The board is not offered the coordinator's settings page.
    assert "/kalender/instellingen/" not in login(member(cal, "bestuur").user).get(BASE).content.decode()


def test_core_settings_links_to_the_planning_moments(cal, login):
    body = login(member(cal, "coordinator").user).get("/g/demostad/instellingen/").content.decode()
    assert "/g/demostad/kalender/instellingen/" in body


# --- Feed ----------------------------------------------------------------------------------


def _new_feed(client):
    response = client.post(BASE + "abonnement/", {"actie": "vernieuwen"})
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index("/kalender/", body.index('id="kalenderlink"'))
    return body[start : body.index(".ics", start) + 4]


def test_feed_shows_the_members_dates_and_stores_only_a_hash(cal, client, login):
    client = login(member(cal, "coordinator").user)
    path = _new_feed(client)
    token = path.removeprefix("/kalender/").removesuffix(".ics")
    with scopes_disabled():
        stored = MemberAgenda.objects.get(membership=member(cal, "coordinator")).feed_token_hash
    assert token not in stored and len(stored) == 64
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in parsed.walk("VEVENT")]
    assert any("ENSIA-zelfevaluatie" in s for s in summaries)
    assert any("Phishingtest" in s for s in summaries)


def test_renewed_or_revoked_or_wrong_token_is_404(cal, client, login):
    client = login(member(cal, "lezer").user)
    first = _new_feed(client)
    second = _new_feed(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.post(BASE + "abonnement/", {"actie": "intrekken"})
    assert client.get(second).status_code == 404
    assert client.get("/kalender/verkeerd-token.ics").status_code == 404


def test_feed_of_a_member_who_left_is_404(cal, login):
    client = login(member(cal, "auditor").user)
    path = _new_feed(client)
    with scopes_disabled():
        m = member(cal, "auditor")
        m.user.is_active = False
        m.user.save()
    assert client.get(path).status_code == 404


# --- Reminders ----------------------------------------------------------------------------


def test_one_digest_per_owner_with_due_and_overdue_and_never_twice(cal):
    coordinator = member(cal, "coordinator")
    _moment(cal, coordinator, 5, "Kadernota klaarzetten")
    _moment(cal, coordinator, -4, "Voorjaarsnota aanleveren")  # passed: a moment is not late
    _moment(cal, coordinator, 40, "Ver weg")
    mail.outbox.clear()
    sent = services.send_reminders(TODAY)
    to_coordinator = [m for m in mail.outbox if coordinator.user.email in m.to]
    assert sent >= 1 and len(to_coordinator) == 1
    body = to_coordinator[0].body
    assert "Kadernota klaarzetten" in body
    assert "Ver weg" not in body
    # The phishing test of November has no participation yet: it is late for its owner.
    assert "Te laat:" in body and "Phishingtest" in body
    assert services.send_reminders(TODAY) == 0
    assert len([m for m in mail.outbox if coordinator.user.email in m.to]) == 1


def test_digest_links_start_with_the_site_url_or_the_commands_base_url(cal, settings):
    settings.SITE_URL = "https://weerbaar.gemeente.example"
    coordinator = member(cal, "coordinator")
    _moment(cal, coordinator, 3)
    mail.outbox.clear()
    with scope(organisation=cal.pk):
        assert services.send_digest(coordinator, TODAY) is True
    assert "https://weerbaar.gemeente.example/g/demostad/kalender/" in mail.outbox[-1].body
    with scope(organisation=cal.pk):
        assert services.send_digest(coordinator, TODAY + datetime.timedelta(days=1), base_url="https://ander.example/")
    assert "https://ander.example/g/demostad/kalender/" in mail.outbox[-1].body


@pytest.mark.parametrize(
    "environment, expected",
    [
        ({"SITE_URL": "https://nieuw.example/"}, "https://nieuw.example"),
        ({"WEERBAAR_BASE_URL": "https://oud.example"}, "https://oud.example"),  # the older name still works
        ({"SITE_URL": "https://nieuw.example", "WEERBAAR_BASE_URL": "https://oud.example"}, "https://nieuw.example"),
        ({"ALLOWED_HOSTS": "weerbaar.gemeente.example,.gemeente.example"}, "https://weerbaar.gemeente.example"),
    ],
)
def test_one_site_url_setting_with_the_older_name_as_fallback(environment, expected):
    """Existing deployments that set WEERBAAR_BASE_URL keep full links (settings read in a fresh process)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "WEERBAAR_BASE_URL", "ALLOWED_HOSTS")}
    import weerbaar

    src = os.path.dirname(os.path.dirname(weerbaar.__file__))
    env |= environment | {"DJANGO_SETTINGS_MODULE": "weerbaar.settings", "PYTHONPATH": src}
    code = "from django.conf import settings; print(settings.SITE_URL)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected


@pytest.mark.parametrize(
    "month, day, title",
    [
        (12, 20, "ENSIA-zelfevaluatie {year} afronden"),  # due 31 December
        (6, 20, "ENSIA-zelfevaluatie {year} gaat open"),  # opens 1 July
        (4, 20, "Verantwoording ENSIA over {last}"),  # accountability report due 1 May
    ],
)
def test_the_coordinators_digest_names_the_national_dates_and_a_viewers_does_not(cal, monkeypatch, month, day, title):
    from weerbaar.agenda import sources

    when = datetime.date(TODAY.year, month, day)
    monkeypatch.setattr(sources, "TODAY", lambda: when)
    coordinator, lezer = member(cal, "coordinator"), member(cal, "lezer")
    expected = title.format(year=when.year, last=when.year - 1)
    mail.outbox.clear()
    services.send_reminders(when)
    [to_coordinator] = [m for m in mail.outbox if coordinator.user.email in m.to]
    soon = to_coordinator.body.split("Binnen veertien dagen:")[1]
    assert expected in soon
    assert not [m for m in mail.outbox if lezer.user.email in m.to and expected in m.body]
    # Once the date has passed it is no task any more: no "te laat" for a national date.
    later = when + datetime.timedelta(days=30)
    monkeypatch.setattr(sources, "TODAY", lambda: later)
    mail.outbox.clear()
    services.send_reminders(later)
    assert not [m for m in mail.outbox if expected in m.body]


def test_the_calendar_tells_a_coordinator_the_ensia_dates_are_theirs(cal, login):
    page = login(member(cal, "coordinator").user).get(BASE + f"?jaar={TODAY.year}").content.decode()
    closing = page[page.index(f"ENSIA-zelfevaluatie {TODAY.year} afronden") :][:400]
    assert "u bent verantwoordelijk" in closing
    viewer = login(member(cal, "lezer").user).get(BASE + f"?jaar={TODAY.year}").content.decode()
    closing = viewer[viewer.index(f"ENSIA-zelfevaluatie {TODAY.year} afronden") :][:400]
    assert "u bent verantwoordelijk" not in closing


def test_opted_out_member_gets_no_digest(cal, login):
    coordinator = member(cal, "coordinator")
    _moment(cal, coordinator, 3)
    client = login(coordinator.user)
    assert client.post(BASE + "abonnement/", {"actie": "herinneringen"}).status_code == 302
    mail.outbox.clear()
    services.send_reminders(TODAY)
    assert not [m for m in mail.outbox if coordinator.user.email in m.to]


def test_nothing_to_say_sends_nothing(cal):
    mail.outbox.clear()
    lezer = member(cal, "lezer")
    services.send_reminders(TODAY)
    assert not [m for m in mail.outbox if lezer.user.email in m.to]


def test_a_day_claimed_by_another_worker_is_not_sent_again(cal):
    coordinator = member(cal, "coordinator")
    _moment(cal, coordinator, 2)
    with scopes_disabled():
        ReminderLog.objects.create(organisation=cal, membership=coordinator, day=TODAY)
    mail.outbox.clear()
    with scope(organisation=cal.pk):
        assert services.send_digest(coordinator, TODAY) is False
    assert not mail.outbox


def test_failed_mail_gives_the_day_back(cal, monkeypatch):
    coordinator = member(cal, "coordinator")
    _moment(cal, coordinator, 2)

    def broken(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    with scope(organisation=cal.pk):
        assert services.send_digest(coordinator, TODAY) is False
    with scopes_disabled():
        assert not ReminderLog.objects.filter(membership=coordinator, day=TODAY).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_digest(themes, settings):
    """Two threads (two database connections) run the reminders for the same day at once."""
    from weerbaar.core.demo import load_demo

    org = {o.slug: o for o in load_demo()}["demostad"]
    coordinator = member(org, "coordinator")
    with scopes_disabled(), acting_as(None):
        load_training_demo(org)
    _moment(org, coordinator, 1)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(services.send_reminders(TODAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len([m for m in mail.outbox if coordinator.user.email in m.to]) == 1
    with scopes_disabled():
        assert ReminderLog.objects.filter(membership=coordinator, day=TODAY).count() == 1


def test_command_sends_and_schedule_is_a_no_op_without_database_worker(cal, capsys):
    from django.core.management import call_command

    coordinator = member(cal, "coordinator")
    _moment(cal, coordinator, 1)
    mail.outbox.clear()
    call_command("send_reminders")
    assert [m for m in mail.outbox if coordinator.user.email in m.to]
    call_command("send_reminders", "--schedule")
    assert "al een run klaar" in capsys.readouterr().out


def test_daily_job_queues_its_next_run_once(cal, settings):
    from django_tasks_db.models import DBTaskResult

    from weerbaar.agenda import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert tasks.schedule_next() is True
    assert tasks.schedule_next() is False
    waiting = DBTaskResult.objects.filter(task_path=tasks.daily_reminders.module_path)
    assert waiting.count() == 1
    assert waiting.get().run_after > datetime.datetime.now(datetime.UTC)


# --- API -----------------------------------------------------------------------------------


def test_api_calendar_and_moments(cal, client):
    import json

    from weerbaar.accounts.services import api_token_create

    with scopes_disabled():
        _, raw = api_token_create(membership=member(cal, "coordinator"), name="t")
        _, board = api_token_create(membership=member(cal, "bestuur"), name="t")
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    items = client.get(f"/api/v1/calendar?start={TODAY.year}-01-01&end={TODAY.year}-12-31", **h).json()
    assert any(i["kind"] == "ensia" for i in items)
    long = client.get("/api/v1/calendar?start=2020-01-01&end=2040-01-01", **h).json()
    assert max(i["date"] for i in long) <= "2023-01-02"  # at most three years are returned
    body = json.dumps({"title": "Kadernota", "date": f"{TODAY.year}-04-01"})
    bh = {"HTTP_AUTHORIZATION": f"Bearer {board}"}
    assert client.post("/api/v1/calendar/moments", body, "application/json", **bh).status_code == 403
    assert client.post("/api/v1/calendar/moments", body, "application/json", **h).status_code == 201


def test_calendar_keeps_a_query_budget(cal, login):
    coordinator = member(cal, "coordinator")
    with scopes_disabled():
        for i in range(60):
            PlanningMoment.objects.create(
                organisation=cal,
                title=f"Moment {i}",
                date=datetime.date(TODAY.year, 1 + i % 12, 1 + i % 28),
                owner=coordinator,
            )
    client = login(coordinator.user)
    client.get(BASE)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(BASE).status_code == 200
    assert len(ctx) <= 25, len(ctx)


def test_a_moment_saved_meanwhile_is_a_409_on_page_and_api_and_nothing_is_lost(cal, client, login):
    """Two people edit the same moment: the second save (an old revision) is refused, on the page
    with both versions and the typed text kept, in the API as problem+json with the current revision."""
    import json

    from weerbaar.accounts.services import api_token_create

    coordinator = member(cal, "coordinator")
    moment = _moment(cal, coordinator, 10, "Kadernota")
    page = login(coordinator.user)
    edit = f"{BASE}instellingen/{moment.pk}/bewerken/"
    form = {"title": "Kadernota (eerste)", "date": moment.date.isoformat(), "description": "", "revision": 0}
    assert page.post(edit, form).status_code == 302
    stale = page.post(edit, {**form, "title": "Kadernota (mijn versie)"})
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "Iemand anders heeft dit opgeslagen" in text and "Kadernota (mijn versie)" in text
    with scopes_disabled():
        moment.refresh_from_db()
    assert moment.title == "Kadernota (eerste)" and moment.revision == 1

    with scopes_disabled():
        _, raw = api_token_create(membership=coordinator, name="t")
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = json.dumps({"title": "Via API", "date": moment.date.isoformat(), "revision": 0})
    response = client.put(f"/api/v1/calendar/moments/{moment.pk}", body, "application/json", **h)
    assert response.status_code == 409
    problem = response.json()
    assert problem["revision"] == 1 and "Iemand anders" in problem["detail"]
    ok = json.dumps({"title": "Via API", "date": moment.date.isoformat(), "revision": 1})
    saved = client.put(f"/api/v1/calendar/moments/{moment.pk}", ok, "application/json", **h)
    assert saved.status_code == 200 and saved.json()["revision"] == 2
