"""Demo municipalities and users, used by `make run`, the tests and the benchmarks."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django_scopes import scope

from .models import Membership, Organisation, Role

DEMO_PASSWORD = "weerbaar-demo"
DEMO_ORGANISATIONS = [
    {"slug": "demostad", "name": "Demostad", "cbs_code": "GM9901", "province": "UT"},
    {"slug": "voorbeeldrecht", "name": "Voorbeeldrecht", "cbs_code": "GM9902", "province": "GE"},
]
ROLE_USERS = [
    ("coordinator", Role.COORDINATOR, "Coördinator"),
    ("expert", Role.EXPERT, "Thema-expert"),
    ("bestuur", Role.BOARD, "Bestuurder"),
    ("auditor", Role.AUDITOR, "Auditor"),
    ("lezer", Role.VIEWER, "Lezer"),
]
NATIONAL_USERS = [
    ("redacteur@weerbaar.example", "editor", "Redacteur Weerbaar"),
    ("beheer@weerbaar.example", "administrator", "Beheerder Weerbaar"),
]


def _user(email: str, full_name: str, national_role: str = ""):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "national_role": national_role}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def load_demo() -> list[Organisation]:
    """Create (or keep) the demo municipalities and their users. Never overwrites user data."""
    orgs = []
    for spec in DEMO_ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(slug=spec["slug"], defaults=spec)
        orgs.append(org)
        with scope(organisation=org.pk):
            for local, role, label in ROLE_USERS:
                user = _user(f"{local}@{org.slug}.example", f"{label} {org.name}")
                membership, created = Membership.objects.get_or_create(
                    organisation=org, user=user, defaults={"role": role}
                )
                if created and role == Role.EXPERT:
                    # The theme model through the relation: core does not import the knowledge app.
                    themes = membership.themes.model.objects.filter(slug__in=["informatiebeveiliging"])
                    membership.themes.set(themes)
    for email, national_role, name in NATIONAL_USERS:
        _user(email, name, national_role)
    return orgs
