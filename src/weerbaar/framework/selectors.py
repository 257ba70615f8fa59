"""Reads of the strategic framework: completeness, coverage, comparison, document content."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.core.models import Organisation
from weerbaar.knowledge.models import FrameworkStep, Law, Principle, PrincipleCategory, SecurityGoal

from .models import (
    STEP_NUMBERS,
    STEP_ORDER,
    ChosenGoal,
    ChosenPrinciple,
    Framework,
    FrameworkVersion,
    Step,
    StepComment,
    StepEntry,
    SubPlan,
)
from .step_fields import editable_fields


def framework_for(*, organisation: Organisation) -> Framework | None:
    return Framework.objects.filter(organisation=organisation).first()


def versions_of(framework: Framework):
    return framework.versions.select_related("created_by", "adoption_recorded_by").order_by("-number")


def working_version(framework: Framework) -> FrameworkVersion | None:
    """The version people work on: the open one, else the adopted one, else the newest."""
    versions = list(framework.versions.order_by("-number"))
    for status in (FrameworkVersion.Status.DRAFT, FrameworkVersion.Status.SUBMITTED, FrameworkVersion.Status.ADOPTED):
        for v in versions:
            if v.status == status:
                return v
    return versions[0] if versions else None


def step_catalogue(step: str) -> dict:
    """The national catalogue for one step: explanation, activities and examples."""
    catalogue_step = (
        FrameworkStep.objects.published()
        .filter(number=STEP_NUMBERS[step])
        .prefetch_related("activities", "examples")
        .first()
    )
    if catalogue_step is None:
        return {"step": None, "activities": [], "examples": []}
    return {
        "step": catalogue_step,
        "activities": [a for a in catalogue_step.activities.all() if a.is_published],
        "examples": [e for e in catalogue_step.examples.all() if e.is_published],
    }


def entries_of(version: FrameworkVersion) -> dict[str, StepEntry]:
    entries = version.steps.select_related("governance_variant", "updated_by").prefetch_related(
        "laws", "activities_done", "scope_assets"
    )
    return {e.step: e for e in entries}


def goals_of(version: FrameworkVersion) -> list[ChosenGoal]:
    return list(version.goals.select_related("catalogue_goal").annotate(principle_count=Count("principles")))


def principles_of(version: FrameworkVersion) -> list[ChosenPrinciple]:
    return list(
        version.principles.select_related("category", "catalogue_principle").prefetch_related(
            Prefetch("goals", queryset=ChosenGoal.objects.order_by("order", "id"))
        )
    )


@dataclass
class Coverage:
    goals_without_principle: list[ChosenGoal]
    principles_without_goal: list[ChosenPrinciple]


def coverage(version: FrameworkVersion, goals=None, principles=None) -> Coverage:
    goals = goals if goals is not None else goals_of(version)
    principles = principles if principles is not None else principles_of(version)
    served = {g.pk for p in principles for g in p.goals.all()}
    return Coverage(
        goals_without_principle=[g for g in goals if g.pk not in served],
        principles_without_goal=[p for p in principles if not p.goals.all()],
    )


@dataclass
class StepStatus:
    step: str
    label: str
    checks: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [label for label, ok in self.checks if not ok]

    @property
    def done(self) -> int:
        return sum(1 for _label, ok in self.checks if ok)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.checks)) if self.checks else 100

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class Completeness:
    steps: list[StepStatus]

    @property
    def missing(self) -> list[tuple[str, str]]:
        return [(s.label, m) for s in self.steps for m in s.missing]

    @property
    def percent(self) -> int:
        total = sum(len(s.checks) for s in self.steps)
        return round(100 * sum(s.done for s in self.steps) / total) if total else 0

    def for_step(self, step: str) -> StepStatus:
        return next(s for s in self.steps if s.step == step)


def _filled(value) -> bool:
    return bool(value and str(value).strip())


def _checklist(entry: StepEntry) -> list[tuple[str, bool]]:
    return [
        (_("wie de stap opstelt"), _filled(entry.drafted_by)),
        (_("wie de stap vaststelt"), _filled(entry.adopted_by)),
        (
            _("betrokkenen (ambtelijk, bestuurlijk of politiek)"),
            any(
                _filled(v)
                for v in (
                    entry.stakeholders_official,
                    entry.stakeholders_administrative,
                    entry.stakeholders_political,
                )
            ),
        ),
        (_("datum van de werksessie"), entry.working_session_on is not None),
        (_("minimale en maximale variant afgewogen"), entry.variants_considered),
    ]


def completeness(version: FrameworkVersion, entries=None, goals=None, principles=None) -> Completeness:
    entries = entries if entries is not None else entries_of(version)
    goals = goals if goals is not None else goals_of(version)
    principles = principles if principles is not None else principles_of(version)
    cov = coverage(version, goals, principles)
    statuses = []
    for step in STEP_ORDER:
        entry = entries.get(step)
        status = StepStatus(step=step, label=str(Step(step).label))
        statuses.append(status)
        if entry is None:
            status.checks.append((_("de stap bestaat niet"), False))
            continue
        if step == Step.VISION:
            status.checks += [
                (_("de eigen visie"), _filled(entry.text)),
                (_("de onderbouwing"), _filled(entry.rationale)),
                (_("de minimale variant"), _filled(entry.minimum_variant)),
                (_("de maximale variant"), _filled(entry.maximum_variant)),
                (_("de koppeling met de meerjarenplannen"), _filled(entry.multi_year_plans)),
            ]
        elif step == Step.SCOPE:
            sub_plans = (
                entry.sub_plan_information,
                entry.sub_plan_physical,
                entry.sub_plan_personnel,
                entry.sub_plan_continuity,
            )
            status.checks += [
                (
                    _("de bedrijfsmiddelen uit het register die binnen de scope vallen"),
                    bool(entry.scope_assets.all()) or _filled(entry.assets),
                ),
                (_("de medewerkers en groepen"), _filled(entry.staff_groups)),
                (_("de derden"), _filled(entry.third_parties)),
                (_("minstens één wet of norm uit het wettelijk kader"), bool(entry.laws.all())),
                (
                    _("de scope van de deelplannen, of 'wij hebben nog geen deelplannen'"),
                    entry.no_sub_plans or any(_filled(s) for s in sub_plans),
                ),
                (_("de onderbouwing"), _filled(entry.rationale)),
            ]
        elif step == Step.GOALS:
            status.checks += [
                (_("minstens één gekozen beveiligingsdoel"), bool(goals)),
                (_("bij elk doel de reden waarom het geldt"), bool(goals) and all(_filled(g.why) for g in goals)),
            ]
        elif step == Step.PRINCIPLES:
            status.checks += [
                (_("minstens één uitgangspunt"), bool(principles)),
                (_("elk uitgangspunt dient minstens één doel"), bool(principles) and not cov.principles_without_goal),
                (
                    _("elk doel wordt gediend door minstens één uitgangspunt"),
                    bool(goals) and not cov.goals_without_principle,
                ),
            ]
        elif step == Step.QUALITY:
            status.checks += [
                (_("de beschrijving van de PDCA-cyclus"), _filled(entry.text)),
                (_("de gekozen governancevariant"), entry.governance_variant_id is not None),
                (_("de frequentie van herziening"), _filled(entry.review_frequency)),
                (_("de eigenaar van de herziening"), _filled(entry.review_owner)),
                (_("de verankering in de planning-en-controlcyclus"), _filled(entry.planning_cycle_anchor)),
            ]
        status.checks += _checklist(entry)
    return Completeness(steps=statuses)


def open_comment_counts(version: FrameworkVersion) -> dict[str, int]:
    rows = version.comments.filter(resolved_at__isnull=True).values("step").annotate(n=Count("id"))
    return {r["step"]: r["n"] for r in rows}


def comments_for(version: FrameworkVersion, step: str):
    return StepComment.objects.filter(version=version, step=step).select_related("resolved_by")


def catalogue_goals():
    return list(SecurityGoal.objects.published().order_by("order"))


def catalogue_principles_by_category():
    principles = Principle.objects.published().select_related("category").prefetch_related("goals")
    categories = list(PrincipleCategory.objects.published().order_by("order"))
    grouped = {c.pk: [] for c in categories}
    for p in principles:
        grouped.setdefault(p.category_id, []).append(p)
    return [(c, grouped.get(c.pk, [])) for c in categories]


def laws_for_choice():
    return Law.objects.published().select_related("group").order_by("group__order", "order", "name")


# --- comparison ----------------------------------------------------------------------------


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) segments: kind is 'same', 'del' or 'ins'."""
    a, b = (old or "").split(" "), (new or "").split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("del", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("ins", " ".join(b[j1:j2])))
    return out


def display_value(entry: StepEntry, name: str) -> str:
    value = getattr(entry, name)
    if name == "laws":
        return "\n".join(law.name for law in entry.laws.all())
    if name == "activities_done":
        return "\n".join(a.text for a in entry.activities_done.all())
    if name == "scope_assets":
        return "\n".join(str(a) for a in entry.scope_assets.all())
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if value is None:
        return ""
    if name == "review_frequency":
        return entry.get_review_frequency_display()
    return str(value)


def compared_fields(step: str) -> list[str]:
    names = editable_fields(step)
    if step == Step.SCOPE:
        names = ["scope_assets"] + names + ["laws"]
    return names + ["activities_done"]


def field_label(name: str) -> str:
    return str(StepEntry._meta.get_field(name).verbose_name)


def compare_versions(old: FrameworkVersion, new: FrameworkVersion) -> list[dict]:
    """Per step, what changed from ``old`` to ``new``: fields, goals and principles."""
    old_entries, new_entries = entries_of(old), entries_of(new)
    result = []
    for step in STEP_ORDER:
        a, b = old_entries.get(step), new_entries.get(step)
        changes = []
        if a is not None and b is not None:
            for name in compared_fields(step):
                va, vb = display_value(a, name), display_value(b, name)
                if va != vb:
                    changes.append({"label": field_label(name), "old": va, "new": vb, "diff": word_diff(va, vb)})
        if step == Step.GOALS:
            changes += _compare_items(
                [(g.catalogue_goal_id or f"own:{g.name}", g.name, g.why) for g in goals_of(old)],
                [(g.catalogue_goal_id or f"own:{g.name}", g.name, g.why) for g in goals_of(new)],
            )
        if step == Step.PRINCIPLES:

            def rows(version):
                return [
                    (
                        p.catalogue_principle_id or f"own:{p.pk}:{p.text[:40]}",
                        p.text,
                        ", ".join(g.name for g in p.goals.all()),
                    )
                    for p in principles_of(version)
                ]

            changes += _compare_items(rows(old), rows(new), detail_label=_("dient doelen"))
        result.append({"step": step, "label": Step(step).label, "changes": changes})
    return result


def _compare_items(old_rows, new_rows, detail_label=None) -> list[dict]:
    detail_label = detail_label or _("waarom")
    old_map = {key: (name, detail) for key, name, detail in old_rows}
    new_map = {key: (name, detail) for key, name, detail in new_rows}
    changes = []
    for key, (name, _detail) in old_map.items():
        if key not in new_map:
            changes.append({"label": _("Verwijderd"), "old": name, "new": "", "diff": [("del", name)]})
    for key, (name, detail) in new_map.items():
        if key not in old_map:
            changes.append({"label": _("Toegevoegd"), "old": "", "new": name, "diff": [("ins", name)]})
            continue
        old_name, old_detail = old_map[key]
        if old_name != name:
            changes.append({"label": _("Gewijzigd"), "old": old_name, "new": name, "diff": word_diff(old_name, name)})
        if old_detail != detail:
            label = f"{name[:60]} — {detail_label}"
            changes.append({"label": label, "old": old_detail, "new": detail, "diff": word_diff(old_detail, detail)})
    return changes


def stale_differences(*, current: StepEntry, submitted: dict) -> list[dict]:
    """What the other person saved versus what this editor typed, for the conflict screen."""
    rows = []
    for name, mine in submitted.items():
        theirs = display_value(current, name)
        if name == "laws":
            mine = "\n".join(law.name for law in mine)
        elif name == "activities_done":
            mine = "\n".join(a.text for a in mine)
        elif name == "scope_assets":
            mine = "\n".join(str(a) for a in mine)
        elif isinstance(mine, bool):
            mine = _("ja") if mine else _("nee")
        elif name == "governance_variant":
            mine = str(mine) if mine else ""
        elif name == "review_frequency":
            mine = dict(StepEntry._meta.get_field(name).choices).get(mine, "") if mine else ""
        mine = "" if mine is None else str(mine)
        theirs = "" if theirs is None else str(theirs)
        if mine.replace("\r\n", "\n").strip() != theirs.strip():
            rows.append({"label": field_label(name), "theirs": theirs, "mine": mine, "diff": word_diff(theirs, mine)})
    return rows


# --- sub-plans and co-writing -------------------------------------------------------------------

SUBPLAN_SORTS = {
    "": ("kind", "title", "id"),
    "titel": ("title", "id"),
    "herziening": ("review_on", "title", "id"),
    "status": ("status", "title", "id"),
}


def subplan_list(*, organisation: Organisation, query: str = "", kind: str = "", status: str = "", sort: str = ""):
    qs = SubPlan.objects.filter(organisation=organisation).select_related("owner__user")
    if query:
        qs = qs.filter(title__icontains=query)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*SUBPLAN_SORTS.get(sort, SUBPLAN_SORTS[""]))


def subplan_review_dates(*, organisation: Organisation, start, end):
    return (
        SubPlan.objects.filter(organisation=organisation, review_on__gte=start, review_on__lte=end)
        .only("id", "title", "kind", "status", "review_on", "owner_id")
        .order_by("review_on", "id")
    )


def delegations_of(version: FrameworkVersion, step: str | None = None):
    qs = version.delegations.select_related("member__user", "granted_by").order_by("step", "id")
    return qs.filter(step=step) if step else qs


def delegation_candidates(version: FrameworkVersion):
    """Members who may be given a step: everyone of the municipality but the coordinators (who edit all)."""
    from weerbaar.core.models import Membership, Role

    return (
        Membership.objects.filter(organisation_id=version.organisation_id)
        .exclude(role=Role.COORDINATOR)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


# --- links that did not carry over ---------------------------------------------------------------


def link_report_rows(version: FrameworkVersion) -> list[dict]:
    """The version's report of measure links that lapsed, each row with ``url`` to the measure.

    The report is kept as written, but a measure may since have been deleted: its row keeps the
    name as text and has no ``url``, so no link on the page leads to a 404. One query.
    """
    rows = [dict(row) for row in version.link_report or []]
    ids = {row.get("object_id") for row in rows if row.get("object") == "measure"}
    measure_model = ChosenGoal._meta.get_field("measures").related_model
    existing = set(measure_model.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    slug = version.organisation.slug
    for row in rows:
        if row.get("on"):
            row["on"] = datetime.date.fromisoformat(row["on"])
        row["url"] = (
            reverse("risks:measure", kwargs={"org": slug, "pk": row["object_id"]})
            if row.get("object") == "measure" and row.get("object_id") in existing
            else ""
        )
    return rows
