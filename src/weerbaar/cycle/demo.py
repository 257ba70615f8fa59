"""Demo data of the yearly plan (a placeholder: two actions; the quality-cycle work replaces it)."""

import datetime

from django_scopes import scope

from .models import Action


def load_for_demo(organisations) -> dict:
    org = organisations.get("demostad")
    if org is None:
        return {"actions": 0}
    year = datetime.date.today().year
    created = 0
    with scope(organisation=org):
        for ref, title in (("A-001", "Bewustwordingscampagne phishing"), ("A-002", "Toegangspassen herzien")):
            _, made = Action.objects.get_or_create(
                organisation=org, reference=ref, defaults={"title": title, "year": year}
            )
            created += made
    return {"actions": created}
