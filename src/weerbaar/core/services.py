"""Every write that matters for organisations and memberships.

Keyword-only functions that validate, change state in one transaction and leave an audit
entry (field changes through the model signals, business events explicitly).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import Invitation, Membership, Organisation, OrganisationLogo, Role

User = get_user_model()


@transaction.atomic
def organisation_create(
    *, name: str, slug: str, cbs_code: str = "", province: str = "", require_mfa: bool = False
) -> Organisation:
    org = Organisation(name=name, slug=slug, cbs_code=cbs_code, province=province, require_mfa=require_mfa)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    allowed = {"name", "require_mfa", "primary_colour", "primary_text_colour", "cbs_code", "province"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot update {unknown}")
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_logo_set(*, organisation: Organisation, name: str, content: bytes) -> Organisation:
    """Store a checked logo (PNG or SVG); raises ValidationError with a Dutch message otherwise."""
    from .logo import UnsafeImage, check_logo

    try:
        content_type = check_logo(name, content)
    except UnsafeImage as e:
        raise ValidationError({"logo": e.message})
    OrganisationLogo.objects.update_or_create(
        organisation=organisation, defaults={"content": content, "content_type": content_type}
    )
    organisation.logo_type = content_type
    organisation.logo_updated_at = timezone.now()
    organisation.save(update_fields=["logo_type", "logo_updated_at"])
    audit.record_event(instance=organisation, event="logo_uploaded", data={"name": name[:200]})
    return organisation


@transaction.atomic
def organisation_logo_remove(*, organisation: Organisation) -> Organisation:
    OrganisationLogo.objects.filter(organisation=organisation).delete()
    organisation.logo_type = ""
    organisation.logo_updated_at = timezone.now()
    organisation.save(update_fields=["logo_type", "logo_updated_at"])
    audit.record_event(instance=organisation, event="logo_removed", data={})
    return organisation


def _coordinators_left(organisation: Organisation, *, excluding: Membership) -> int:
    return Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).exclude(pk=excluding.pk).count()


@transaction.atomic
def membership_add(*, organisation: Organisation, user, role: str, themes: Iterable = ()) -> Membership:
    membership = Membership(organisation=organisation, user=user, role=role)
    membership.full_clean(exclude=["organisation"])
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("Deze persoon is al lid van %(org)s.") % {"org": organisation.name})
    membership.save()
    if role == Role.EXPERT and themes:
        membership.themes.set(themes)
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, role: str, themes: Iterable = ()) -> Membership:
    if membership.role == Role.COORDINATOR and role != Role.COORDINATOR:
        if _coordinators_left(membership.organisation, excluding=membership) == 0:
            raise ValidationError(
                _("Een gemeente houdt minstens één coördinator. Benoem eerst iemand anders tot coördinator.")
            )
    membership.role = role
    membership.full_clean(exclude=["organisation"])
    membership.save()
    membership.themes.set(list(themes) if role == Role.EXPERT else [])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.COORDINATOR and _coordinators_left(membership.organisation, excluding=membership) == 0:
        raise ValidationError(_("De laatste coördinator kan niet worden verwijderd."))
    membership.delete()


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, themes: Iterable = (), invited_by, base_url: str
) -> tuple[Invitation, str]:
    """Invite someone by e-mail; returns the invitation and the raw token (for the e-mail)."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is al lid van deze gemeente.") % {"email": email}})
    for old in Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ):
        old.revoked_at = timezone.now()
        old.save(update_fields=["revoked_at"])
    raw, token_hash = Invitation.new_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean(exclude=["organisation"])
    invitation.save()
    if role == Role.EXPERT and themes:
        invitation.themes.set(themes)
    link = base_url.rstrip("/") + reverse("core:invitation_accept", kwargs={"token": raw})
    context = {"invitation": invitation, "organisation": organisation, "link": link, "inviter": invited_by}
    transaction.on_commit(
        lambda: send_mail(
            subject=_("Uitnodiging voor Weerbaar: %(org)s") % {"org": organisation.name},
            message=render_to_string("core/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    audit.record_event(instance=invitation, event="invitation.sent", data={"email": email, "role": role})
    return invitation, raw


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    if not invitation.is_open:
        raise ValidationError(_("Deze uitnodiging is niet meer geldig."))
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("Deze uitnodiging is voor %(email)s. U bent ingelogd met een ander adres.") % {"email": invitation.email}
        )
    with audit.acting_as(user, via="web"):
        existing = Membership.objects.filter(organisation=invitation.organisation, user=user).first()
        membership = existing or membership_add(
            organisation=invitation.organisation,
            user=user,
            role=invitation.role,
            themes=list(invitation.themes.all()),
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def user_create_from_invitation(*, invitation: Invitation, full_name: str, password: str):
    if not invitation.is_open:
        raise ValidationError(_("Deze uitnodiging is niet meer geldig."))
    user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    from allauth.account.models import EmailAddress

    # The invitation link proved the address.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation_accept(invitation=invitation, user=user)
    return user
