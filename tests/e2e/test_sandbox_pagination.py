"""Pagination beyond GitLab's count limit, and the gate hook in front of the API."""

from __future__ import annotations

from flask import Response

from triage.sandbox.app import SandboxConfig, create_app, sandbox_of
from triage.sandbox.pagination import Page, headers


def test_totals_and_last_link_are_left_out_above_ten_thousand() -> None:
    app = create_app(SandboxConfig(root_token="t"))
    with app.test_request_context(
        "/api/v4/projects/1/issues?state=opened&page=2&per_page=100", base_url="http://gitlab.test"
    ):
        from flask import request

        big = headers(request, Page(2, 100), 10_001)
        small = headers(request, Page(2, 100), 10_000)
    assert "X-Total" not in big and "X-Total-Pages" not in big
    assert 'rel="last"' not in big["Link"]
    assert (big["X-Next-Page"], big["X-Prev-Page"]) == ("3", "1")
    assert (
        "<http://gitlab.test/api/v4/projects/1/issues?state=opened&page=3&per_page=100>; "
        'rel="next"' in big["Link"]
    )
    assert (small["X-Total"], small["X-Total-Pages"]) == ("10000", "100")
    assert 'page=100&per_page=100>; rel="last"' in small["Link"]


def test_a_gate_can_answer_before_the_api_runs() -> None:
    app = create_app(SandboxConfig(root_token="t"))
    sandbox_of(app).gates.append(
        lambda: Response("Retry later\n", status=429, headers={"Retry-After": "1"})
    )
    client = app.test_client()
    limited = client.get("/api/v4/projects", headers={"PRIVATE-TOKEN": "t"})
    admin = client.get("/-/sandbox/requests")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")
    assert admin.status_code == 200 and admin.json is not None
    assert admin.json["by_route"] == {"GET /projects": 1}
