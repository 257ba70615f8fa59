"""What the cycle gives core: menu item, calendar dates, the yearly report's chapter, an export."""

import datetime

from django.utils import timezone
from django_scopes import scope

from weerbaar.core.registry import annual_report_sections, calendar_sources, exports, nav_items
from weerbaar.cycle.models import Action

from ..conftest import member


def test_menu_item_and_export_are_registered(cycle, login):
    assert nav_items["cycle"].url_name == "cycle:plan"
    assert "cycle.xlsx" in exports
    page = login(member(cycle, "lezer").user).get("/g/demostad/").content.decode()
    assert 'href="/g/demostad/jaarplan/"' in page


def test_calendar_has_due_dates_checks_and_expiries_with_owners(cycle):
    year = timezone.localdate().year
    coordinator = member(cycle, "coordinator")
    with scope(organisation=cycle.pk):
        entries = list(
            calendar_sources["cycle"](coordinator, datetime.date(year - 1, 1, 1), datetime.date(year + 1, 12, 31))
        )
        kinds = {e.kind for e in entries}
        assert kinds == {"action", "check", "deviation"}
        overdue = next(e for e in entries if e.title.endswith("Extra bewustwordingssessie burgerzaken"))
        assert overdue.owner_id == member(cycle, "expert").pk and not overdue.done
        assert overdue.url.startswith("/g/demostad/jaarplan/acties/")
        carried = Action.objects.filter(status=Action.Status.CARRIED_OVER).values_list("title", flat=True)
        in_calendar = [e.title for e in entries if e.kind == "action"]
        # A carried-over action shows once: as its successor in the new year.
        for title in carried:
            assert sum(t.endswith(title) for t in in_calendar) == 1


def test_yearly_report_chapter_covers_plan_checks_and_next_year(cycle):
    year = timezone.localdate().year
    with scope(organisation=cycle.pk):
        section = annual_report_sections["cycle"](cycle, year - 1)
        assert section is not None
        text = " ".join(str(b.get("text", "")) for b in section.blocks)
        assert f"Jaarplan {year - 1}" in text and "Controles en bevindingen" in text
        assert f"Plan voor {year}" in text
        tables = [b for b in section.blocks if b["type"] == "table"]
        assert any("IT-audit door de accountant" in row for t in tables for row in t["rows"])
        # A year without plan or checks has no chapter.
        assert annual_report_sections["cycle"](cycle, 1999) is None


def test_a_busy_year_is_summarised_for_the_board_not_listed_in_full(cycle):
    """Hundreds of checks and planned actions would make the yearly report a register print: beyond
    25 the chapter gives counts per kind and the most severe findings, and says where the rest is."""
    from weerbaar.cycle.models import Check, Finding
    from weerbaar.cycle.report import LISTED
    from weerbaar.cycle.services import ReferenceAllocator

    year = timezone.localdate().year
    with scope(organisation=cycle.pk):
        before = Check.objects.filter(date__year=year).count()
        checks = ReferenceAllocator(Check, cycle)
        made = Check.objects.bulk_create(
            Check(
                organisation=cycle,
                reference=checks.next(),
                title=f"Steekproef {n}",
                kind=Check.Kind.values[n % 2],
                date=datetime.date(year, 1, 1 + n % 28),
                status=Check.Status.DONE,
            )
            for n in range(LISTED + 5)
        )
        findings = ReferenceAllocator(Finding, cycle)
        Finding.objects.bulk_create(
            Finding(
                organisation=cycle,
                source_check=c,
                reference=findings.next(),
                title=f"Bevinding bij {c.title}",
                severity=Finding.Severity.values[-1] if i == 0 else Finding.Severity.values[0],
            )
            for i, c in enumerate(made)
        )
        actions = ReferenceAllocator(Action, cycle)
        Action.objects.bulk_create(
            Action(organisation=cycle, reference=actions.next(), year=year + 1, title=f"Vervolgactie {n}")
            for n in range(LISTED + 3)
        )
        section = annual_report_sections["cycle"](cycle, year)
    text = " ".join(str(b.get("text", "")) for b in section.blocks)
    tables = [b for b in section.blocks if b["type"] == "table"]
    assert f"zijn {before + LISTED + 5} controles uitgevoerd" in text and "onder Controles" in text
    per_kind = next(t for t in tables if t["headers"][0] == "Soort")
    assert sum(row[1] for row in per_kind["rows"]) == before + LISTED + 5
    assert not any(t["headers"][1] == "Controle" for t in tables)  # no list of every check
    finding_table = next(t for t in tables if t["headers"][1] == "Bevinding")
    assert len(finding_table["rows"]) == LISTED and "onder Bevindingen" in text
    plan_table = tables[-1]
    assert len(plan_table["rows"]) == LISTED and "het hele plan staat in Weerbaar" in text
