"""The thread from the strategic framework to the register: which goals and principles a measure links to.

A measure links to the goals and principles of the municipality's *effective* framework version:
the adopted one; before any adoption the open draft (labelled "nog niet vastgesteld: concept");
without any framework the national catalogue (labelled "landelijke catalogus"), stored in
``Measure.catalogue_goals``/``catalogue_principles``.

Links move along:
- when a draft without an adopted predecessor chooses a catalogue item, measures linked to that
  catalogue item move to it (:func:`carry_catalogue_links`, on the chosen item's creation);
- when a version is adopted, every link moves to the new version's items, catalogue items by
  catalogue identity and own items by lineage (:func:`move_links_on_adoption`, in the adoption's
  transaction); links without a counterpart are removed and returned as report rows, which the
  framework keeps on the version (``FrameworkVersion.link_report``).

The framework never imports this module: it sends ``framework.signals.version_adopted``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.core.models import Organisation
from weerbaar.framework.models import ChosenGoal, ChosenPrinciple, FrameworkVersion
from weerbaar.knowledge.models import Principle, SecurityGoal

from .models import Measure

ADOPTED, DRAFT, CATALOGUE = "adopted", "draft", "catalogue"
SOURCE_LABELS = {
    ADOPTED: gettext_lazy("vastgesteld kader"),
    DRAFT: gettext_lazy("nog niet vastgesteld: concept"),
    CATALOGUE: gettext_lazy("landelijke catalogus"),
}


@dataclass
class Thread:
    """What a municipality's measures link to right now."""

    source: str
    version: FrameworkVersion | None
    goals: list = field(default_factory=list)
    principles: list = field(default_factory=list)

    @property
    def is_catalogue(self) -> bool:
        return self.source == CATALOGUE

    @property
    def goal_field(self) -> str:
        return "catalogue_goals" if self.is_catalogue else "goals"

    @property
    def principle_field(self) -> str:
        return "catalogue_principles" if self.is_catalogue else "principles"

    @property
    def label(self) -> str:
        if self.source == ADOPTED:
            return _("Vastgesteld kader, versie %(n)s") % {"n": self.version.number}
        if self.source == DRAFT:
            return _("Nog niet vastgesteld: concept van versie %(n)s") % {"n": self.version.number}
        return _("Landelijke catalogus (uw gemeente heeft nog geen strategisch kader)")

    def goal_queryset(self):
        if self.is_catalogue:
            return SecurityGoal.objects.order_by("order", "name")
        return ChosenGoal.objects.filter(version=self.version).order_by("order", "id")

    def principle_queryset(self):
        if self.is_catalogue:
            return Principle.objects.select_related("category").order_by("category__order", "order")
        return (
            ChosenPrinciple.objects.filter(version=self.version)
            .select_related("category", "catalogue_principle")
            .order_by("category__order", "order", "id")
        )


_OPEN = (FrameworkVersion.Status.ADOPTED, FrameworkVersion.Status.DRAFT, FrameworkVersion.Status.SUBMITTED)


def _open_versions(organisation: Organisation | int):
    """The versions a municipality's measures may link to: adopted, or before adoption in the making."""
    return FrameworkVersion.objects.filter(organisation=organisation, status__in=_OPEN)


def _source(status: str | None) -> str:
    """Where the links point given the effective version's status (None: no framework at all)."""
    if status is None:
        return CATALOGUE
    return ADOPTED if status == FrameworkVersion.Status.ADOPTED else DRAFT


def effective_version(*, organisation: Organisation | int) -> FrameworkVersion | None:
    """The adopted version; before any adoption the open draft (or submitted) version."""
    versions = _open_versions(organisation).order_by("-number")
    adopted = [v for v in versions if v.status == FrameworkVersion.Status.ADOPTED]
    if adopted:
        return adopted[0]
    return versions[0] if versions else None


def effective_source(*, organisation: Organisation | int) -> Thread:
    """The source of the effective choice (``version`` left empty): one narrow query.

    For a list that only needs to know which links to read (an API list of measures reads this on
    every call; the version row holds the whole link report).
    """
    statuses = set(_open_versions(organisation).values_list("status", flat=True))
    adopted = FrameworkVersion.Status.ADOPTED
    return Thread(source=_source(adopted if adopted in statuses else next(iter(statuses), None)), version=None)


def thread_for(*, organisation: Organisation, with_items: bool = True) -> Thread:
    """The effective choice of ``organisation``; three queries with the items, one without."""
    version = effective_version(organisation=organisation)
    thread = Thread(source=_source(version.status if version else None), version=version)
    if with_items:
        thread.goals = list(thread.goal_queryset())
        thread.principles = list(thread.principle_queryset())
    return thread


def principle_key(principle) -> str:
    """A short code for a principle in a spreadsheet: the catalogue slug, or ``eigen-`` and its lineage."""
    if isinstance(principle, Principle):
        return principle.slug
    if principle.catalogue_principle_id:
        return principle.catalogue_principle.slug
    return f"eigen-{principle.lineage.hex[:8]}"


def item_label(item) -> str:
    return getattr(item, "name", None) or (item.text[:120] if getattr(item, "text", "") else str(item))


# --- moving links ------------------------------------------------------------------------------


def carry_catalogue_links(item) -> None:
    """A draft chose a catalogue item: measures linked to that catalogue item now link to ``item``.

    Only while the framework has no adopted version (the draft is then the effective version).
    """
    version = item.version
    if not (version.is_draft or version.status == FrameworkVersion.Status.SUBMITTED):
        return
    if FrameworkVersion.objects.filter(
        framework_id=version.framework_id, status=FrameworkVersion.Status.ADOPTED
    ).exists():
        return
    if isinstance(item, ChosenGoal):
        if not item.catalogue_goal_id:
            return
        old, new, old_col, new_col, key = (
            Measure.catalogue_goals.through,
            Measure.goals.through,
            "securitygoal_id",
            "chosengoal_id",
            item.catalogue_goal_id,
        )
    else:
        if not item.catalogue_principle_id:
            return
        old, new, old_col, new_col, key = (
            Measure.catalogue_principles.through,
            Measure.principles.through,
            "principle_id",
            "chosenprinciple_id",
            item.catalogue_principle_id,
        )
    rows = old.objects.filter(**{old_col: key, "measure__organisation_id": version.organisation_id})
    measure_ids = list(rows.values_list("measure_id", flat=True))
    if not measure_ids:
        return
    new.objects.bulk_create([new(measure_id=m, **{new_col: item.pk}) for m in measure_ids], ignore_conflicts=True)
    rows.delete()
    _overlaps_changed(version.organisation_id)


def _move(
    *,
    version: FrameworkVersion,
    through,
    column: str,
    catalogue_through,
    catalogue_column: str,
    items: list,
    catalogue_attr: str,
    kind: str,
) -> list[dict]:
    org = version.organisation_id
    by_catalogue = {getattr(i, catalogue_attr): i.pk for i in items if getattr(i, catalogue_attr)}
    by_lineage = {i.lineage: i.pk for i in items}
    here = {i.pk for i in items}
    stale = list(
        through.objects.filter(measure__organisation_id=org)
        .exclude(**{f"{column}__in": here})
        .select_related(column.removesuffix("_id"), "measure")
    )
    catalogue_rows = list(
        catalogue_through.objects.filter(measure__organisation_id=org).select_related(
            catalogue_column.removesuffix("_id"), "measure"
        )
    )
    new_rows, report = [], []
    for row in stale:
        old = getattr(row, column.removesuffix("_id"))
        target = by_catalogue.get(getattr(old, catalogue_attr)) if getattr(old, catalogue_attr) else None
        target = target or by_lineage.get(old.lineage)
        if target:
            new_rows.append(through(measure_id=row.measure_id, **{column: target}))
        else:
            report.append(_report_row(kind, row.measure, old))
    for row in catalogue_rows:
        old = getattr(row, catalogue_column.removesuffix("_id"))
        target = by_catalogue.get(old.pk)
        if target:
            new_rows.append(through(measure_id=row.measure_id, **{column: target}))
        else:
            report.append(_report_row(kind, row.measure, old))
    through.objects.filter(pk__in=[r.pk for r in stale]).delete()
    catalogue_through.objects.filter(pk__in=[r.pk for r in catalogue_rows]).delete()
    through.objects.bulk_create(new_rows, ignore_conflicts=True)
    return report


def _report_row(kind: str, measure: Measure, old) -> dict:
    return {
        "kind": kind,
        "object": "measure",
        "object_id": measure.pk,
        "object_label": str(measure),
        "item": item_label(old),
    }


def move_links_on_adoption(*, version: FrameworkVersion, previous: FrameworkVersion | None = None) -> list[dict]:
    """Every measure link now points at ``version``'s goals and principles; returns what did not map."""
    goals = list(ChosenGoal.objects.filter(version=version))
    principles = list(ChosenPrinciple.objects.filter(version=version))
    report = _move(
        version=version,
        through=Measure.goals.through,
        column="chosengoal_id",
        catalogue_through=Measure.catalogue_goals.through,
        catalogue_column="securitygoal_id",
        items=goals,
        catalogue_attr="catalogue_goal_id",
        kind="goal",
    )
    report += _move(
        version=version,
        through=Measure.principles.through,
        column="chosenprinciple_id",
        catalogue_through=Measure.catalogue_principles.through,
        catalogue_column="principle_id",
        items=principles,
        catalogue_attr="catalogue_principle_id",
        kind="principle",
    )
    report.sort(key=lambda r: (r["object_label"], r["kind"], r["item"]))
    _overlaps_changed(version.organisation_id)
    return report


# --- signal receivers (connected in apps.py) ---------------------------------------------------


def on_version_adopted(sender, *, version, previous=None, **kwargs) -> list[dict]:
    return move_links_on_adoption(version=version, previous=previous)


def _overlaps_changed(organisation_id: int) -> None:
    """Bulk link moves send no m2m signals: mark the overlap summary out of date here."""
    from .summary import invalidate

    invalidate(organisation_id)


def on_framework_changed(sender, *, instance, raw=False, **kwargs) -> None:
    """A version started or changed status, or a chosen goal went: overlaps read other goal links."""
    if not raw:
        _overlaps_changed(instance.organisation_id)


def on_chosen_item_saved(sender, *, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        carry_catalogue_links(instance)


def linked_filter(thread: Thread, kind: str, item_id: int) -> Q:
    """A filter on measures linked to one goal or principle of ``thread``."""
    return Q(**{thread.goal_field if kind == "goal" else thread.principle_field: item_id})
