"""Signal handlers: session bookkeeping and security events around sign-in, passwords and MFA."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.db.models import signals as model_signals
from django.dispatch import receiver
from django_scopes import scopes_disabled

from weerbaar.core.models import Membership

from .security import security_event
from .sessions import end_other_sessions, register_session


@receiver(auth_signals.user_logged_in, dispatch_uid="weerbaar_logged_in")
def on_logged_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    register_session(request, user)
    security_event("login_succeeded", request=request, user=user)


@receiver(auth_signals.user_logged_out, dispatch_uid="weerbaar_logged_out")
def on_logged_out(sender, request, user, **kwargs):
    from .models import UserSession

    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    if user is not None:
        security_event("logout", request=request, user=user)


@receiver(auth_signals.user_login_failed, dispatch_uid="weerbaar_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Not the address that was tried: it may be a typo of someone else's, and it is personal data.
    security_event("login_failed", request=request)


def _logout_elsewhere(event, request, user, **fields):
    ended = end_other_sessions(user, keep_request=request)
    security_event(event, request=request, user=user, sessions_ended=ended, **fields)


@receiver(account_signals.password_changed, dispatch_uid="weerbaar_password_changed")
def on_password_changed(sender, request, user, **kwargs):
    _logout_elsewhere("password_changed", request, user)


@receiver(account_signals.password_reset, dispatch_uid="weerbaar_password_reset")
def on_password_reset(sender, request, user, **kwargs):
    _logout_elsewhere("password_reset", request, user)


@receiver(mfa_signals.authenticator_added, dispatch_uid="weerbaar_mfa_added")
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    security_event("mfa_added", request=request, user=user, authenticator=authenticator.type)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="weerbaar_mfa_removed")
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    _logout_elsewhere("mfa_removed", request, user, authenticator=authenticator.type)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="weerbaar_mfa_reset")
def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    _logout_elsewhere("mfa_reset", request, user, authenticator=authenticator.type)


@receiver(mfa_signals.authentication_failed, dispatch_uid="weerbaar_mfa_failed")
def on_mfa_failed(sender, request, user, **kwargs):
    security_event("mfa_failed", request=request, user=user)


@receiver(model_signals.pre_save, sender=Membership, dispatch_uid="weerbaar_role_before")
def remember_role(sender, instance, **kwargs):
    if instance.pk:
        with scopes_disabled():  # saved from admin pages and fixtures as well as in a scope
            instance._previous_role = sender.objects.filter(pk=instance.pk).values_list("role", flat=True).first()


@receiver(model_signals.post_save, sender=Membership, dispatch_uid="weerbaar_role_after")
def log_role_change(sender, instance, created, **kwargs):
    old = None if created else getattr(instance, "_previous_role", None)
    if created or old != instance.role:
        security_event(
            "role_changed",
            user=instance.user,
            membership_id=instance.pk,
            organisation_id=instance.organisation_id,
            old_role=old or "",
            new_role=instance.role,
        )


@receiver(model_signals.post_delete, sender=Membership, dispatch_uid="weerbaar_role_removed")
def log_membership_removed(sender, instance, **kwargs):
    security_event(
        "role_changed",
        user=instance.user,
        membership_id=instance.pk,
        organisation_id=instance.organisation_id,
        old_role=instance.role,
        new_role="",
    )
