"""The risk picture at the start and end of a year, reconstructed from the audit trail."""

import datetime

from django.utils import timezone
from django_scopes import scope

from weerbaar.core.registry import annual_report_sections
from weerbaar.risks import scoring, selectors
from weerbaar.risks.models import Risk
from weerbaar.yearreport.chapters import Period, risk_states_at

from ..risks.factories import RiskFactory


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def test_state_at_a_moment_is_the_before_of_the_first_change_after_it(demostad):
    this_year = timezone.localdate().year
    with scope(organisation=demostad.pk):
        scale = selectors.scale_for(demostad)
        # Created last spring at 4×4, lowered now to 2×2.
        moved = RiskFactory(
            organisation=demostad, inherent_likelihood=4, inherent_impact=4, created_at=_at(this_year - 1, 3, 1)
        )
        moved.inherent_likelihood, moved.inherent_impact = 2, 2
        scoring.apply_scores(moved, scale)
        moved.save()
        # Created last summer, deleted now: it existed at the end of last year.
        gone = RiskFactory(
            organisation=demostad, inherent_likelihood=5, inherent_impact=5, created_at=_at(this_year - 1, 7, 1)
        )
        gone_pk = gone.pk
        gone.delete()
        # Created this year: not there at the start of it.
        new = RiskFactory(organisation=demostad, inherent_likelihood=1, inherent_impact=1)

        last = Period.of(this_year - 1)
        start, end = risk_states_at(demostad, last.start, scale), risk_states_at(demostad, last.end, scale)
        assert start == {}
        assert end[moved.pk]["position"] == (4, 4) and end[moved.pk]["score"] == 16
        assert end[gone_pk]["score"] == 25
        assert new.pk not in end

        now = Period.of(this_year)
        now_end = risk_states_at(demostad, now.end, scale)
        assert now_end[moved.pk]["score"] == 4 and gone_pk not in now_end and new.pk in now_end


def test_risk_chapter_shows_both_heat_maps_and_what_moved(demostad):
    this_year = timezone.localdate().year
    with scope(organisation=demostad.pk):
        risk = RiskFactory(
            organisation=demostad,
            title="Inbraak werf",
            inherent_likelihood=4,
            inherent_impact=4,
            created_at=_at(this_year - 1, 3, 1),
        )
        risk.residual_likelihood, risk.residual_impact = 2, 1
        scoring.apply_scores(risk, selectors.scale_for(demostad))
        risk.save()
        section = annual_report_sections["yearreport.risks"](demostad, this_year)
        heatmaps = next(b for b in section.blocks if b["type"] == "charts")["items"]
        begin, end = heatmaps[0]["chart"], heatmaps[1]["chart"]
        assert begin.count_at(4, 4) == 1 and end.count_at(4, 4) == 0 and end.count_at(2, 1) == 1
        moved = next(b for b in section.blocks if b["type"] == "table" and "veranderde" in b["caption"])
        assert moved["rows"] == [["R-001" if risk.reference == "R-001" else risk.reference, "Inbraak werf", "16", "2"]]
        assert Risk.objects.filter(pk=risk.pk).exists()


def test_accepted_risks_show_their_expiry(demostad):
    today = timezone.localdate()
    with scope(organisation=demostad.pk):
        RiskFactory(
            organisation=demostad,
            title="Stroomuitval",
            treatment=Risk.Treatment.ACCEPT,
            accepted_by="Gemeentesecretaris",
            accepted_until=today - datetime.timedelta(days=1),
        )
        section = annual_report_sections["yearreport.accepted"](demostad, today.year)
    table = next(b for b in section.blocks if b["type"] == "table")
    assert table["rows"][0][1] == "Stroomuitval" and table["rows"][0][-1] == "verlopen"
