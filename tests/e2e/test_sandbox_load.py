"""GitLab.com under load: rate limits with GitLab's headers, latency and faults."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import gitlab
import pytest
import requests

from triage.sandbox.app import SandboxConfig
from triage.sandbox.server import SandboxServer

pytestmark = pytest.mark.e2e
NOW = datetime(2024, 3, 1, 12, 0, 10, tzinfo=UTC)
SEED: dict[str, Any] = {
    "users": [{"username": "tam"}, {"username": "sa"}],
    "groups": [
        {
            "path": "acme",
            "members": [
                {"username": "tam", "access_level": 30},
                {"username": "sa", "access_level": 30},
            ],
        }
    ],
    "projects": [{"path": "acme/globex"}, {"path": "acme/initech"}],
    "issues": [{"project": "acme/globex", "title": "One"}],
}
TOO_MANY = {
    "message": {"error": "This endpoint has been requested too many times. Try again later."}
}


@pytest.fixture
def seeded(sandbox: Any) -> Any:
    sandbox.seed(SEED)
    sandbox.set_clock(NOW)
    return sandbox


def _get(sandbox: Any, path: str = "/user", token: str = "token-tam") -> requests.Response:
    return requests.get(f"{sandbox.url}/api/v4{path}", headers={"PRIVATE-TOKEN": token}, timeout=5)


def _post(
    sandbox: Any, path: str, body: dict[str, Any], token: str = "token-tam"
) -> requests.Response:
    return requests.post(
        f"{sandbox.url}/api/v4{path}", headers={"PRIVATE-TOKEN": token}, json=body, timeout=5
    )


def test_self_managed_has_no_throttle_headers(seeded: Any) -> None:
    assert not [name for name in _get(seeded).headers if name.lower().startswith("ratelimit")]


def test_gitlab_com_sends_ratelimit_headers_on_every_response(seeded: Any) -> None:
    seeded.set_profile("gitlab-com")
    first, second = _get(seeded), _get(seeded, "/projects/acme%2Fglobex/issues")
    reset = int(datetime(2024, 3, 1, 12, 1, tzinfo=UTC).timestamp())
    assert {
        name: first.headers[name]
        for name in (
            "RateLimit-Limit",
            "RateLimit-Observed",
            "RateLimit-Remaining",
            "RateLimit-Reset",
            "RateLimit-ResetTime",
        )
    } == {
        "RateLimit-Limit": "2000",
        "RateLimit-Observed": "1",
        "RateLimit-Remaining": "1999",
        "RateLimit-Reset": str(reset),
        "RateLimit-ResetTime": "Fri, 01 Mar 2024 12:01:00 GMT",
    }
    assert second.headers["RateLimit-Observed"] == "2"
    settings = requests.get(f"{seeded.url}/-/sandbox/settings", timeout=5).json()
    assert (settings["profile"], settings["issue_limit"], settings["note_limit"]) == (
        "gitlab-com",
        200,
        60,
    )


def test_a_burst_over_the_limit_gets_429_until_the_minute_ends(seeded: Any) -> None:
    seeded.set_profile("gitlab-com", api_limit=3)
    answers = [_get(seeded) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.text == "Retry later\n"
    assert refused.headers["Retry-After"] == "50"
    assert (refused.headers["RateLimit-Name"], refused.headers["RateLimit-Remaining"]) == (
        "throttle_authenticated_api",
        "0",
    )
    assert _get(seeded, token="token-sa").status_code == 200  # per user
    seeded.set_clock(NOW + timedelta(minutes=1))
    assert _get(seeded).status_code == 200


def test_python_gitlab_waits_for_retry_after_and_succeeds(seeded: Any) -> None:
    seeded.set_clock(datetime(2024, 3, 1, 12, 0, 59, 500_000, tzinfo=UTC))
    seeded.set_profile("gitlab-com", api_limit=2)
    client = seeded.gitlab(token="token-tam")
    client.projects.get("acme/globex")
    client.projects.get("acme/globex")
    assert _get(seeded).headers["Retry-After"] == "1"
    # While python-gitlab sleeps Retry-After, the minute ends on the sandbox clock.
    advance = threading.Timer(
        0.3, seeded.set_clock, [datetime(2024, 3, 1, 12, 1, 0, 100_000, tzinfo=UTC)]
    )
    advance.start()
    started = time.monotonic()
    try:
        project = client.projects.get("acme/globex")
    finally:
        advance.join()
    assert project.path_with_namespace == "acme/globex"
    assert time.monotonic() - started >= 1


def test_python_gitlab_without_retries_raises_429(seeded: Any) -> None:
    seeded.set_profile("gitlab-com", api_limit=1)
    client = seeded.gitlab(token="token-tam")
    client.projects.get("acme/globex")
    with pytest.raises(gitlab.GitlabGetError) as refused:
        client.projects.get("acme/globex", obey_rate_limit=False)
    assert refused.value.response_code == 429


def test_issue_creation_limit_is_per_project_and_user(seeded: Any) -> None:
    seeded.set_profile("gitlab-com", issue_limit=2)
    path = "/projects/acme%2Fglobex/issues"
    answers = [_post(seeded, path, {"title": f"Issue {n}"}) for n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[-1].json() == TOO_MANY
    assert "Retry-After" not in answers[-1].headers
    assert _post(seeded, "/projects/acme%2Finitech/issues", {"title": "x"}).status_code == 201
    assert _post(seeded, path, {"title": "x"}, token="token-sa").status_code == 201
    titles = [i["title"] for i in _get(seeded, path).json()]
    assert "Issue 2" not in titles  # refused before anything was written


def test_note_creation_limit_is_per_user(seeded: Any) -> None:
    seeded.set_profile("gitlab-com", note_limit=2)
    globex, initech = "/projects/acme%2Fglobex/issues/1/notes", "/projects/2/issues/1/notes"
    _post(seeded, "/projects/acme%2Finitech/issues", {"title": "Other"})
    statuses = [
        _post(seeded, path, {"body": "hi"}).status_code for path in (globex, initech, globex)
    ]
    assert statuses == [201, 201, 429]
    seeded.set_clock(NOW + timedelta(seconds=50))
    assert _post(seeded, globex, {"body": "new minute"}).status_code == 201


def test_faults_answer_5xx_before_anything_runs(seeded: Any) -> None:
    seeded.set_faults(fault_rate=1.0, seed=3)
    answer = _post(seeded, "/projects/acme%2Fglobex/issues", {"title": "Lost"})
    assert answer.status_code in (500, 502, 503)
    seeded.set_faults(fault_rate=0.0)
    assert [i["title"] for i in _get(seeded, "/projects/acme%2Fglobex/issues").json()] == ["One"]


def test_faults_are_reproducible_for_a_seed(seeded: Any) -> None:
    def statuses() -> list[int]:
        seeded.set_faults(fault_rate=0.5, seed=42)
        return [_get(seeded).status_code for _ in range(20)]

    first = statuses()
    assert first == statuses()
    assert {500, 502, 503} & set(first) and 200 in first


def test_latency_is_added(seeded: Any) -> None:
    seeded.set_faults(latency_ms=120)
    started = time.monotonic()
    _get(seeded)
    assert time.monotonic() - started >= 0.12


def test_profile_and_faults_from_the_serve_options() -> None:
    config = SandboxConfig(root_token="t", profile="gitlab-com", fault_rate=0.0, latency_ms=0)
    with SandboxServer(config) as server:
        answer = requests.get(
            f"{server.url}/api/v4/user", headers={"PRIVATE-TOKEN": "t"}, timeout=5
        )
    assert answer.headers["RateLimit-Limit"] == "2000"
