"""Every query and path parameter of the desk and the API is validated to the store's ranges: a bad value
is a 400 (or 404 for an id that is valid but absent), never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from desk.app import RerunResult, create_app
from storage.store import Store

BIG = str(2**63)
HUGE = "9" * 40


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    app = create_app(store, rerun=lambda entry: RerunResult(resolved=False, error="x"))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "path",
    [
        f"/story/{BIG}",
        f"/story/{HUGE}",
        f"/raw/{BIG}",
        f"/api/articles/{BIG}",
        f"/api/articles/{BIG}/versions",
        f"/api/articles?after={BIG}",
        "/api/articles?after=-1",
        "/api/articles?urgency=%C2%B2",
        "/api/articles?since=0001-01-01T00:00:00%2B05:00",
        "/api/articles?until=9999-12-31T23:59:59-05:00",
        "/api/articles?limit=0",
    ],
)
def test_out_of_range_parameters_are_400(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400, (path, response.status_code, response.text[:200])


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("since=0001-01-01T00:00:00%2B05:00", 400),
        ("until=9999-12-31T23:59:59-05:00", 400),
        ("urgency=%C2%B2", 400),
        ("since=0001-01-01", 200),
        ("until=9999-12-31", 200),
    ],
)
def test_desk_list_shows_the_problem_instead_of_failing(
    client: TestClient, query: str, status: int
) -> None:
    """Never a 500: a filter with no UTC instant is refused as the API refuses it (400, the reason on the
    page, no rows); the extreme dates that exist are served."""
    response = client.get(f"/?{query}")
    assert response.status_code == status, response.text[:300]
    assert ('id="filter-errors"' in response.text) == (status == 400)


def test_rerun_url_with_a_huge_id_is_400(client: TestClient) -> None:
    response = client.post(f"/quarantine/{BIG}/rerun", headers={"Origin": "http://testserver"})
    assert response.status_code == 400


def test_absent_ids_in_range_are_404(client: TestClient) -> None:
    for path in (f"/story/{2**63 - 1}", f"/raw/{2**63 - 1}", f"/api/articles/{2**63 - 1}"):
        assert client.get(path).status_code == 404, path
