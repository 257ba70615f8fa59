"""Bad input and busy moments never corrupt, crash or block the register.

Money is read the Dutch way (and an ambiguous reading is shown back before saving), two people
saving the same row never silently overwrite each other, theme experts change only links they
may edit, the API refuses what the services refuse with a 4xx, and the matrix settings are bounded.
"""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope, scopes_disabled

from weerbaar.risks import services
from weerbaar.risks.models import Asset, Measure, MeasureConflict, Risk, RiskMatrix

from ..conftest import member
from .conftest import get, theme

BASE = "/g/demostad/risico/"


def measure_post(**extra):
    data = {
        "title": "Camerabewaking bij de ingang",
        "description": "",
        "themes": [theme("fysieke-beveiliging")],
        "measure_type": "preventive",
        "kind": "electronic",
        "owner": "Facilitair",
        "status": "planned",
        "cost_once": "",
        "cost_yearly": "",
    }
    data.update(extra)
    return data


def _hidden(content: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', content)
    assert match, name
    return match.group(1)


# --- 6. Money --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1.250", "€ 1.250"])
def test_a_dutch_thousands_dot_is_shown_back_and_saved_as_thousands(register, coordinator_client, typed):
    response = coordinator_client.post(BASE + "maatregelen/nieuw/", measure_post(cost_once=typed, owner="Getypt"))
    assert response.status_code == 400
    content = response.content.decode()
    assert f"U typte {typed}; Weerbaar leest dit als € 1.250,00. Klopt dat? Sla dan opnieuw op." in content
    assert "Getypt" in content  # everything else typed is kept
    assert _hidden(content, "cost_once_confirmed") == typed
    with scopes_disabled():
        assert not Measure.objects.filter(title="Camerabewaking bij de ingang").exists()
    again = measure_post(cost_once=typed, owner="Getypt", cost_once_confirmed=typed)
    assert coordinator_client.post(BASE + "maatregelen/nieuw/", again).status_code == 302
    assert get(Measure, title="Camerabewaking bij de ingang").cost_once == Decimal("1250.00")


def test_an_unambiguous_amount_is_saved_at_once_and_nan_is_a_field_error(register, coordinator_client):
    response = coordinator_client.post(BASE + "maatregelen/nieuw/", measure_post(cost_once="1.250,50"))
    assert response.status_code == 302
    assert get(Measure, title="Camerabewaking bij de ingang").cost_once == Decimal("1250.50")
    for bad in ("NaN", "Infinity", "-inf", "1e400"):
        response = coordinator_client.post(BASE + "maatregelen/nieuw/", measure_post(title="Ander", cost_yearly=bad))
        assert response.status_code == 400, bad
        assert "Geef een bedrag" in response.content.decode()


def test_services_refuse_amounts_that_are_not_finite(register):
    coordinator = member(register, "coordinator")
    with scope(organisation=register.pk):
        for bad in (Decimal("NaN"), Decimal("Infinity"), Decimal("-1"), Decimal("1e12"), "nan"):
            with pytest.raises(ValidationError) as caught:
                services.measure_save(
                    organisation=register,
                    membership=coordinator,
                    title="x",
                    themes=[theme("fysieke-beveiliging")],
                    cost_once=bad,
                )
            assert "cost_once" in caught.value.message_dict, bad


def test_api_refuses_amounts_that_are_not_finite_or_too_large(register, api):
    call = api(register, "coordinator")
    for bad in ('"NaN"', '"Infinity"', "1e400", "10000000000", "-1", "1.001"):
        body = '{"title": "x", "themes": ["fysieke-beveiliging"], "cost_once": ' + bad + "}"
        response = call("POST", "/measures", body)
        assert response.status_code in (400, 422), (bad, response.status_code)
    ok = call("POST", "/measures", {"title": "x", "themes": ["fysieke-beveiliging"], "cost_once": "1250.50"})
    assert ok.status_code == 201 and Decimal(str(ok.json()["cost_once"])) == Decimal("1250.50")


# --- 7. Lost updates -------------------------------------------------------------------------


def test_service_claims_the_revision_so_the_second_of_two_saves_is_refused(register):
    coordinator = member(register, "coordinator")
    with scope(organisation=register.pk):
        asset = Asset.objects.get(reference="BM-001")
        start = asset.revision
        first = services.asset_save(
            organisation=register, membership=coordinator, asset=asset, name="Eerste", expected_revision=start
        )
        assert first.revision == start + 1
        stale = Asset.objects.get(pk=asset.pk)
        stale.revision = start  # as the second editor loaded it
        with pytest.raises(services.StaleRevision) as caught:
            services.asset_save(
                organisation=register, membership=coordinator, asset=stale, name="Tweede", expected_revision=start
            )
        assert caught.value.code == "stale" and caught.value.current.name == "Eerste"
        assert Asset.objects.get(pk=asset.pk).name == "Eerste"
        # Commands and demo data pass no revision: no check, but the counter still moves on.
        services.asset_save(organisation=register, membership=coordinator, asset=stale, name="Derde")
        assert Asset.objects.get(pk=asset.pk).revision == start + 2


@pytest.mark.parametrize("kind", ["risk", "measure", "asset"])
def test_a_stale_web_save_answers_409_keeps_the_input_and_saves_knowingly(register, coordinator_client, kind):
    path, model, ref, field = {
        "risk": ("risicos", Risk, "R-001", "title"),
        "measure": ("maatregelen", Measure, "M-001", "title"),
        "asset": ("bedrijfsmiddelen", Asset, "BM-001", "name"),
    }[kind]
    obj = get(model, organisation=register, reference=ref)
    url = BASE + f"{path}/{obj.pk}/bewerken/"
    form = coordinator_client.get(url)
    assert _hidden(form.content.decode(), "revision") == str(obj.revision)
    data = {"revision": obj.revision}
    for name, value in form.context["form"].initial.items():
        if name == "revision":
            continue
        if isinstance(value, list):
            data[name] = [v.pk for v in value]
        elif value is None:
            data[name] = ""
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = str(value).replace(".", ",") if isinstance(value, Decimal) else value
    mine = {**data, field: "Mijn versie"}
    theirs = {**data, field: "Hun versie"}
    assert coordinator_client.post(url, theirs).status_code == 302
    response = coordinator_client.post(url, mine)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Iemand anders heeft dit opgeslagen" in content
    assert "Hun versie" in content and 'value="Mijn versie"' in content
    assert get(model, pk=obj.pk).__dict__[field] == "Hun versie"
    new_revision = _hidden(content, "revision")
    assert new_revision == str(obj.revision + 1)
    assert coordinator_client.post(url, {**mine, "revision": new_revision}).status_code == 302
    assert get(model, pk=obj.pk).__dict__[field] == "Mijn versie"


def test_a_stale_inline_status_change_answers_409(register, coordinator_client):
    measure = get(Measure, organisation=register, reference="M-001")
    url = BASE + f"maatregelen/{measure.pk}/status/"
    first = {"status": "in_progress", "revision": measure.revision}
    assert coordinator_client.post(url, first).status_code == 302
    response = coordinator_client.post(url, {"status": "verified", "revision": measure.revision})
    assert response.status_code == 409 and "de status is nu: in uitvoering" in response.content.decode()
    assert get(Measure, pk=measure.pk).status == "in_progress"
    htmx = coordinator_client.post(url, {"status": "verified", "revision": measure.revision}, HTTP_HX_REQUEST="true")
    # htmx swaps only 2xx answers: the row comes back with the saved status and the notice.
    assert htmx.status_code == 200 and "Iemand anders" in htmx.content.decode()
    assert 'value="in_progress" selected' in htmx.content.decode()
    assert get(Measure, pk=measure.pk).status == "in_progress"


def test_a_stale_api_put_is_a_409_problem_and_revision_is_in_the_answer(register, api):
    call = api(register, "coordinator")
    risk_id = get(Risk, organisation=register, reference="R-001").pk
    current = call("GET", f"/risks/{risk_id}").json()
    body = {k: current[k] for k in ("title", "themes", "inherent_likelihood", "inherent_impact", "assets")}
    first = call("PUT", f"/risks/{risk_id}", {**body, "title": "Eerste", "revision": current["revision"]})
    assert first.status_code == 200 and first.json()["revision"] == current["revision"] + 1
    stale = call("PUT", f"/risks/{risk_id}", {**body, "title": "Tweede", "revision": current["revision"]})
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    assert "Iemand anders" in stale.json()["detail"]
    assert get(Risk, pk=risk_id).title == "Eerste"
    for url in ("/measures", "/assets"):
        items = call("GET", url).json()["items"]
        assert items and all(isinstance(i["revision"], int) for i in items)


# --- 8. Theme limits on links ----------------------------------------------------------------


def _own_and_foreign(org):
    """A measure of the expert's theme (informatiebeveiliging) and the risks outside it."""
    info = theme("informatiebeveiliging")
    with scopes_disabled():
        own = Measure.objects.get(organisation=org, reference="M-007")
        foreign = [r for r in Risk.objects.filter(organisation=org) if {t.pk for t in r.themes.all()} - {info}]
    return own, foreign


def _measure_kwargs(measure, **extra):
    data = {
        "title": measure.title,
        "themes": list(measure.themes.values_list("pk", flat=True)),
        "risks": list(measure.risks.values_list("pk", flat=True)),
        "goals": list(measure.goals.values_list("pk", flat=True)),
    }
    data.update(extra)
    return data


def test_theme_expert_changes_only_links_to_risks_they_may_edit(register):
    expert = member(register, "expert")
    own, foreign = _own_and_foreign(register)
    with scope(organisation=register.pk):
        linked = set(own.risks.values_list("pk", flat=True))
        outsider = next(r for r in foreign if r.pk not in linked)
        with pytest.raises(PermissionDenied):
            services.measure_save(
                organisation=register,
                membership=expert,
                measure=own,
                **_measure_kwargs(own, risks=[*linked, outsider.pk]),
            )
        # Already linked to a risk outside the expert's themes: kept when the expert saves,
        # refused when the expert removes it.
        own.risks.add(outsider)
        services.measure_save(
            organisation=register, membership=expert, measure=own, **_measure_kwargs(own, title="Nieuw")
        )
        assert outsider in Measure.objects.get(pk=own.pk).risks.all()
        with pytest.raises(PermissionDenied):
            services.measure_save(
                organisation=register, membership=expert, measure=own, **_measure_kwargs(own, risks=list(linked))
            )
        # Links to risks of the expert's own theme change freely.
        extra = services.risk_save(
            organisation=register,
            membership=expert,
            title="Phishing",
            themes=[theme("informatiebeveiliging")],
            inherent_likelihood=2,
            inherent_impact=2,
        )
        services.measure_save(
            organisation=register,
            membership=expert,
            measure=own,
            **_measure_kwargs(own, risks=[*linked, outsider.pk, extra.pk]),
        )
        # The coordinator changes any link.
        coordinator = member(register, "coordinator")
        services.measure_save(
            organisation=register, membership=coordinator, measure=own, **_measure_kwargs(own, risks=[])
        )
        assert not Measure.objects.get(pk=own.pk).risks.exists()


def test_theme_expert_web_form_refuses_a_foreign_link_and_keeps_the_input(register, login):
    client = login(member(register, "expert").user)
    own, foreign = _own_and_foreign(register)
    with scopes_disabled():
        data = {
            "title": "Getypte titel",
            "themes": [theme("informatiebeveiliging")],
            "measure_type": own.measure_type,
            "kind": own.kind,
            "status": own.status,
            "risks": [*own.risks.values_list("pk", flat=True), foreign[0].pk],
        }
    response = client.post(BASE + f"maatregelen/{own.pk}/bewerken/", data)
    assert response.status_code in (400, 403)
    if response.status_code == 400:
        assert "buiten uw thema" in response.content.decode() and "Getypte titel" in response.content.decode()
    assert get(Measure, pk=own.pk).title == own.title


def test_a_conflict_needs_both_measures_editable(register):
    expert = member(register, "expert")
    coordinator = member(register, "coordinator")
    with scope(organisation=register.pk):
        own = Measure.objects.get(reference="M-007")
        other = Measure.objects.get(reference="M-001")
        with pytest.raises(PermissionDenied):
            services.conflict_save(
                organisation=register, membership=expert, measure_a=own, measure_b=other, description="Botst"
            )
        conflict = services.conflict_save(
            organisation=register, membership=coordinator, measure_a=own, measure_b=other, description="Botst"
        )
        with pytest.raises(PermissionDenied):
            services.conflict_save(
                organisation=register,
                membership=expert,
                conflict=conflict,
                measure_a=own,
                measure_b=other,
                description="Anders",
            )
        assert MeasureConflict.objects.get(pk=conflict.pk).description == "Botst"


# --- 9. API limits ---------------------------------------------------------------------------


def test_api_schemas_carry_the_limits(register, api):
    call = api(register, "coordinator")
    assert call("GET", f"/risks?offset={2**70}").status_code == 422
    assert call("GET", "/risks?limit=0").status_code == 422
    assert call("GET", "/risks?limit=1001").status_code == 422
    assert call("GET", f"/risks/{2**70}").status_code in (404, 422)
    base = {"title": "x", "themes": ["fysieke-beveiliging"], "inherent_likelihood": 2, "inherent_impact": 2}
    for bad in (
        {"assets": [2**70]},
        {"assets": [0]},
        {"inherent_likelihood": 0},
        {"inherent_impact": 11},
        {"title": "x" * 201},
        {"treatment": "negeren"},
        {"reference": "R" * 21},
        {"local_threat_id": 2**70},
        {"revision": -1},
    ):
        response = call("POST", "/risks", {**base, **bad})
        assert 400 <= response.status_code < 500, (bad, response.status_code)
    for bad in ({"name": "x" * 201}, {"name": "x", "kind": "raket"}, {"name": "x", "criticality": 9}):
        assert call("POST", "/assets", bad).status_code == 422, bad
    assert (
        call("POST", "/measures", {"title": "x", "themes": ["fysieke-beveiliging"], "status": "klaar"}).status_code
        == 422
    )
    created = call("POST", "/risks", base)
    assert created.status_code == 201 and created.json()["revision"] == 0


def test_openapi_lists_the_limits(register, api):
    from weerbaar.api.api import api as ninja_api

    schemas = ninja_api.get_openapi_schema()["components"]["schemas"]
    assert schemas["RiskIn"]["properties"]["title"]["maxLength"] == 200
    assert "revision" in schemas["RiskOut"]["required"]
    assert schemas["MeasureIn"]["properties"]["status"]["enum"] == list(Measure.Status.values)


# --- 12. Matrix settings ---------------------------------------------------------------------


def test_matrix_settings_are_bounded_in_the_service(register):
    coordinator = member(register, "coordinator")
    base = {"likelihood_levels": 5, "impact_levels": 5, "acceptance_level": 6, "critical_level": 15}
    with scope(organisation=register.pk):
        for bad, field in (
            ({"critical_level": 9223372036854775807}, "critical_level"),
            ({"critical_level": 26}, "critical_level"),
            ({"acceptance_level": 25}, "acceptance_level"),
            ({"acceptance_level": 0}, "acceptance_level"),
            ({"likelihood_labels": ["x" * 61, "b", "c", "d", "e"]}, "likelihood_labels"),
            ({"impact_labels": ["x"] * 6}, "impact_labels"),
            ({"likelihood_levels": 11}, "likelihood_levels"),
        ):
            with pytest.raises(ValidationError) as caught:
                services.matrix_update(organisation=register, membership=coordinator, **{**base, **bad})
            assert field in caught.value.message_dict, bad
        services.matrix_update(organisation=register, membership=coordinator, **{**base, "critical_level": 25})
        assert RiskMatrix.objects.get(organisation=register).critical_level == 25


def test_matrix_form_gives_dutch_field_errors_and_keeps_the_input(register, coordinator_client):
    data = {
        "likelihood_levels": "5",
        "impact_levels": "5",
        "likelihood_labels": "",
        "impact_labels": "",
        "acceptance_level": "6",
        "critical_level": "9223372036854775807",
    }
    response = coordinator_client.post(BASE + "matrix/", data)
    assert response.status_code == 400
    assert "9223372036854775807" in response.content.decode()
    response = coordinator_client.post(BASE + "matrix/", {**data, "critical_level": "26"})
    assert response.status_code == 400 and "zeer hoog" in response.content.decode()
    long = "x" * 100_000
    response = coordinator_client.post(BASE + "matrix/", {**data, "critical_level": "15", "likelihood_labels": long})
    assert response.status_code == 400
    with scopes_disabled():
        matrix = RiskMatrix.objects.filter(organisation=register).first()
        assert matrix is None or (matrix.critical_level <= 25 and all(len(x) <= 60 for x in matrix.likelihood_labels))
