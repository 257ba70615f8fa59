import pytest

from weerbaar.accounts.services import api_token_create

from ..conftest import member


@pytest.fixture
def api_headers(content, demostad):
    _, raw = api_token_create(membership=member(demostad, "lezer"), name="kennisbank")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize(
    "path,minimum",
    [
        ("themas", 8),
        ("bouwstenen", 24),
        ("doelen", 10),
        ("uitgangspunten", 30),
        ("stappen", 5),
        ("wetten", 20),
        ("begrippen", 30),
    ],
)
def test_api_lists_published_knowledge(path, minimum, client, api_headers):
    response = client.get(f"/api/v1/kennisbank/{path}", **api_headers)
    assert response.status_code == 200
    assert len(response.json()) >= minimum


def test_api_building_block_detail_and_404(client, api_headers):
    response = client.get("/api/v1/kennisbank/bouwstenen/ib-bio2-ensia-verbinden", **api_headers)
    assert response.status_code == 200
    assert "bio2" in response.json()["laws"]
    missing = client.get("/api/v1/kennisbank/bouwstenen/bestaat-niet", **api_headers)
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_api_filters_building_blocks_by_theme(client, api_headers):
    data = client.get("/api/v1/kennisbank/bouwstenen?thema=integriteit", **api_headers).json()
    assert data and {b["theme"] for b in data} == {"integriteit"}


def test_api_theme_filter_has_the_slugs_length_limit(client, api_headers):
    response = client.get("/api/v1/kennisbank/bouwstenen?thema=" + "x" * 101, **api_headers)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid_params"] == [
        {"name": "query.thema", "code": "string_too_long", "reason": "Gebruik ten hoogste 100 tekens."}
    ]
    assert client.get("/api/v1/kennisbank/bouwstenen?thema=" + "x" * 100, **api_headers).json() == []
