"""Demo municipalities and users, used by `make run`, the tests and the benchmarks."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django_scopes import scope

from .models import Membership, Organisation, Role

DEMO_PASSWORD = "weerbaar-demo"
DEMO_ORGANISATIONS = [
    {"slug": "demostad", "name": "Demostad", "cbs_code": "GM9901", "province": "UT", "inhabitants": 45_000},
    {"slug": "voorbeeldrecht", "name": "Voorbeeldrecht", "cbs_code": "GM9902", "province": "GE", "inhabitants": 18_000},
]
# Fictitious municipalities in a few size classes and provinces, so that the anonymous benchmark
# of the self-scan has groups to show (and groups too small to show). One coordinator each.
BENCHMARK_ORGANISATIONS = [
    ("lindeveld", "Lindeveld", "UT", 32_000),
    ("kanaalzijde", "Kanaalzijde", "UT", 27_500),
    ("heuvelrijk", "Heuvelrijk", "UT", 41_000),
    ("broekwoude", "Broekwoude", "UT", 12_500),
    ("duinhaven", "Duinhaven", "ZH", 88_000),
    ("veenmond", "Veenmond", "GE", 24_000),
    ("polderwijk", "Polderwijk", "GE", 36_000),
    ("rivierstad", "Rivierstad", "GE", 152_000),
    ("bosrand", "Bosrand", "GE", 9_800),
    ("kerkzeel", "Kerkzeel", "FR", 15_200),
    ("havenwaard", "Havenwaard", "NH", 67_000),
    ("meerland", "Meerland", "FR", 11_300),
    ("dijkhuizen", "Dijkhuizen", "NB", 29_900),
    ("weidebroek", "Weidebroek", "NB", 22_100),
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
def load_benchmark_municipalities() -> list[Organisation]:
    """Create (or keep) the extra demo municipalities, each with one coordinator. Never overwrites."""
    orgs = []
    for number, (slug, name, province, inhabitants) in enumerate(BENCHMARK_ORGANISATIONS, start=3):
        org, _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "cbs_code": f"GM99{number:02d}", "province": province, "inhabitants": inhabitants},
        )
        orgs.append(org)
        with scope(organisation=org.pk):
            user = _user(f"coordinator@{slug}.example", f"Coördinator {name}")
            Membership.objects.get_or_create(organisation=org, user=user, defaults={"role": Role.COORDINATOR})
    return orgs


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
