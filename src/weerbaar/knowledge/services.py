"""Every write to the knowledge base: editors' changes (with a revision) and submissions."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from weerbaar.core import audit, permissions
from weerbaar.core.models import Membership, Organisation

from . import search
from .models import ContentItem, FieldExample, Law, Revision, Status, Submission, Theme


def snapshot(item: models.Model) -> dict:
    """The item's editable state as JSON-safe data; relations as sorted slugs (or ids)."""
    data = audit.snapshot(item)
    for field in ("updated_at", "updated_by_id", "edited_in_product"):
        data.pop(field, None)
    for field in item._meta.many_to_many:
        related = getattr(item, field.name).all()
        data[field.name] = sorted(getattr(o, "slug", None) or str(o.pk) for o in related)
    return data


@transaction.atomic
def content_update(*, item: ContentItem, user, data: dict) -> Revision | None:
    """Change a content item as a national editor; records a revision and updates the index.

    ``data`` maps field names to values; many-to-many fields take iterables of objects. The
    item is marked ``edited_in_product`` so that re-loading the YAML files never overwrites it.
    """
    permissions.require(user, "knowledge.edit")
    before = snapshot(item)
    m2m_names = {f.name for f in item._meta.many_to_many}
    for name, value in data.items():
        if name not in m2m_names:
            setattr(item, name, value)
    item.full_clean(exclude=list(m2m_names))
    item.edited_in_product = True
    item.updated_by = user
    item.updated_at = timezone.now()
    item.save()
    for name, value in data.items():
        if name in m2m_names:
            getattr(item, name).set(value)
    after = snapshot(item)
    revision = None
    if before != after:
        revision = Revision.objects.create(
            item_type=item._meta.label_lower,
            item_id=item.pk,
            actor=user,
            actor_name=user.get_full_name(),
            before=before,
            after=after,
        )
    search.index_item(item)
    return revision


def content_set_status(*, item: ContentItem, user, status: str) -> Revision | None:
    """Publish, put back to draft, retire or bring back into use. Retiring a law that another
    replaced is undone only through ``law_replace``'s counterpart: bringing it back clears it."""
    if status not in Status.values:
        raise ValidationError(_("Onbekende status."))
    data = {"status": status}
    if isinstance(item, Law) and status != Status.RETIRED and item.replaced_by_id:
        data["replaced_by"] = None
    return content_update(item=item, user=user, data=data)


def _title_of(model, data: dict) -> str:
    for name in ("title", "name", "term", "text"):
        if data.get(name):
            return str(data[name])
    return model._meta.model_name


@transaction.atomic
def content_create(*, model: type[ContentItem], user, data: dict) -> ContentItem:
    """A new content item made by a national editor; its first revision records who made it.

    The address name (slug) comes from the title and stays unique. The item is marked as the
    editors' own, so that loading the shipped content never overwrites it.
    """
    permissions.require(user, "knowledge.edit")
    m2m_names = {f.name for f in model._meta.many_to_many}
    item = model(**{k: v for k, v in data.items() if k not in m2m_names})
    item.slug = _unique_slug(_title_of(model, data), model=model)
    item.edited_in_product = True
    item.updated_by = user
    item.updated_at = timezone.now()
    if any(f.name == "order" for f in model._meta.fields) and not data.get("order"):
        item.order = (model.objects.aggregate(n=models.Max("order"))["n"] or 0) + 1
    item.full_clean(exclude=list(m2m_names))
    item.save()
    for name, value in data.items():
        if name in m2m_names:
            getattr(item, name).set(value)
    Revision.objects.create(
        item_type=item._meta.label_lower,
        item_id=item.pk,
        actor=user,
        actor_name=user.get_full_name(),
        before=None,
        after=snapshot(item),
    )
    search.index_item(item)
    return item


@transaction.atomic
def law_replace(*, law: Law, successor: Law, user) -> Revision | None:
    """Mark ``law`` as replaced by ``successor``: it is retired (no longer offered), its page says
    what replaced it, and every framework's legal annex names the successor instead."""
    permissions.require(user, "knowledge.edit")
    if successor.pk == law.pk:
        raise ValidationError({"successor": _("Een wet kan zichzelf niet vervangen.")})
    if successor.status != Status.PUBLISHED:
        raise ValidationError({"successor": _("Kies een opvolger die gepubliceerd is.")})
    if successor.in_force().pk == law.pk:
        raise ValidationError({"successor": _("Deze wet is zelf al vervangen door de wet die u nu vervangt.")})
    return content_update(item=law, user=user, data={"status": Status.RETIRED, "replaced_by": successor})


def revisions_for(item: models.Model) -> models.QuerySet[Revision]:
    return Revision.objects.filter(item_type=item._meta.label_lower, item_id=item.pk).select_related("actor")


# --- Municipal submissions ---------------------------------------------------------------------


@transaction.atomic
def submission_create(
    *,
    organisation: Organisation,
    membership: Membership,
    theme: Theme,
    kind: str,
    title: str,
    body: str,
    anonymous: bool,
) -> Submission:
    permissions.require(membership, "knowledge.submit", theme)
    submission = Submission(
        organisation=organisation,
        theme=theme,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        anonymous=anonymous,
        submitted_by=membership.user,
    )
    submission.full_clean()
    submission.save()
    return submission


def _unique_slug(title: str, model=FieldExample) -> str:
    base = slugify(title)[:80].strip("-") or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def submission_publish(*, submission: Submission, user) -> FieldExample:
    """Publish a municipality's example: the municipality's name shows only if not anonymous."""
    permissions.require(user, "knowledge.edit")
    if submission.state != Submission.State.SUBMITTED:
        raise ValidationError(_("Deze bijdrage is al beoordeeld."))
    example = FieldExample.objects.create(
        slug=_unique_slug(submission.title),
        theme=submission.theme,
        kind=submission.kind,
        title=submission.title,
        body=submission.body,
        source="" if submission.anonymous else submission.organisation.name,
        status=Status.PUBLISHED,
        edited_in_product=True,
        updated_by=user,
    )
    submission.state = Submission.State.PUBLISHED
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = user
    submission.example = example
    submission.reason = ""
    submission.save()
    search.index_item(example)
    return example


@transaction.atomic
def submission_reject(*, submission: Submission, user, reason: str) -> Submission:
    permissions.require(user, "knowledge.edit")
    if submission.state != Submission.State.SUBMITTED:
        raise ValidationError(_("Deze bijdrage is al beoordeeld."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Geef een reden op, zodat de gemeente weet waarom.")})
    submission.state = Submission.State.REJECTED
    submission.reason = reason.strip()
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = user
    submission.save()
    return submission
