"""The sandbox's own controls: lost responses, request counts, clock, seed, reset."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import gitlab
import pytest
import requests

pytestmark = pytest.mark.e2e


def _lost_pattern(sandbox: Any, seed: int) -> list[bool]:
    sandbox.reset()
    sandbox.seed({"groups": [{"path": "acme"}], "projects": [{"path": "acme/p"}]})
    sandbox.set_lost_response_rate(0.5, seed=seed)
    url = f"{sandbox.url}/api/v4/projects/acme%2Fp/issues"
    return [
        requests.post(
            url, headers={"PRIVATE-TOKEN": sandbox.token}, timeout=10, json={"title": f"n{n}"}
        ).status_code
        == 502
        for n in range(12)
    ]


def test_lost_responses_are_committed_and_reproducible(sandbox: Any) -> None:
    first = _lost_pattern(sandbox, seed=7)
    sandbox.set_lost_response_rate(0)
    titles = {i.title for i in sandbox.gitlab().projects.get("acme/p").issues.list(get_all=True)}
    assert titles == {f"n{n}" for n in range(12)}
    assert any(first) and not all(first)
    assert _lost_pattern(sandbox, seed=7) == first


def test_lost_create_raises_and_retrying_duplicates(sandbox: Any) -> None:
    sandbox.seed({"groups": [{"path": "acme"}], "projects": [{"path": "acme/p"}]})
    project = sandbox.gitlab().projects.get("acme/p")
    sandbox.set_lost_response_rate(1.0, scope="creates")
    with pytest.raises(gitlab.GitlabCreateError) as lost:
        project.issues.create({"title": "Once"})
    assert lost.value.response_code == 502
    sandbox.set_lost_response_rate(0)
    assert [i.title for i in project.issues.list()] == ["Once"]


def test_request_counter_counts_api_requests_by_route(sandbox: Any) -> None:
    sandbox.seed({"groups": [{"path": "acme"}], "projects": [{"path": "acme/p"}]})
    gl = sandbox.gitlab()
    sandbox.reset_requests()
    project = gl.projects.get("acme/p")
    project.issues.create({"title": "x"})
    project.issues.list()
    counts = sandbox.requests()
    assert (counts["reads"], counts["writes"]) == (2, 1)
    assert counts["by_method"] == {"GET": 2, "POST": 1}
    assert counts["by_route"] == {
        "GET /projects/:id": 1,
        "GET /projects/:id/issues": 1,
        "POST /projects/:id/issues": 1,
    }


def test_clock_drives_timestamps_and_reset_clears_data(sandbox: Any) -> None:
    sandbox.set_clock(datetime(2030, 6, 1, 8, 30, tzinfo=UTC))
    gl = sandbox.gitlab()
    group = gl.groups.create({"name": "Acme", "path": "acme"})
    assert group.created_at == "2030-06-01T08:30:00.000Z"
    sandbox.reset()
    assert gl.groups.list() == []
    gl.auth()
    assert gl.user.username == "root"


def test_seed_returns_ids_and_rejects_unknown_references(sandbox: Any) -> None:
    result = sandbox.seed(
        {
            "users": [{"username": "tam", "name": "Tess"}],
            "groups": [{"path": "acme"}],
            "projects": [{"path": "acme/p"}],
            "issues": [
                {
                    "project": "acme/p",
                    "title": "A",
                    "author": "tam",
                    "created_at": "2024-01-01T00:00:00Z",
                    "notes": [
                        {"author": "tam", "body": "hi", "created_at": "2024-01-02T00:00:00Z"}
                    ],
                }
            ],
        }
    )
    assert result["users"]["tam"]["token"] == "token-tam"
    assert result["issue_refs"] == ["acme/p#1"]
    issue = sandbox.gitlab().projects.get(result["projects"]["acme/p"]).issues.get(1)
    assert issue.id == result["issues"]["acme/p#1"]
    assert issue.updated_at == "2024-01-02T00:00:00.000Z"
    with pytest.raises(RuntimeError, match="unknown namespace"):
        sandbox.seed({"projects": [{"path": "nowhere/p"}]})
