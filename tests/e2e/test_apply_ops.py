"""What the engineer reading a CI log needs from `salsatam apply`: each change as it is made,
an interrupted run that says how far it got, a read failure that names the request, visible
rate-limit waits, and failures that can be found among hundreds of change lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.e2e.cli import run, seeded
from triage.changes import CreateBoard, CreateBoardList, CreateLabel
from triage.gitlab.apply import apply_plan
from triage.gitlab.client import connect
from triage.gitlab.fetch import fetch_snapshot
from triage.plan import Plan
from triage.policy.loader import PACKAGED, load_policies

pytestmark = pytest.mark.e2e

NOW = "2026-03-10T09:00:00+00:00"
CLOCK = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
HOME = "account-management/accounts"
RECORD = """The account record.

```yaml
arr: {arr}
renewal: 2026-06-01
industry: finance
team: {{sal: sam, sa: sara, tam: tom}}
collaboration_project: customers/{path}
```
"""
STAFF = [{"username": u, "access_level": 30} for u in ("sam", "sara", "tom")]
NAMES = ("acme", "globex", "initech", "umbrella", "hooli")
SEED: dict[str, Any] = {
    "users": [{"username": u} for u in ("sam", "sara", "tom", "carol")],
    "groups": [{"path": "account-management", "members": STAFF}, {"path": "customers"}],
    "projects": [
        {"path": HOME},
        *({"path": f"customers/{name}"} for name in NAMES),
    ],
    "issues": [
        *(
            {
                "project": HOME,
                "title": name.title(),
                "description": RECORD.format(arr=100000 + n, path=name),
                "labels": ["account", "segment::enterprise", "stage::adoption"],
                "author": "sam",
                "created_at": "2026-01-05T10:00:00Z",
            }
            for n, name in enumerate(NAMES)
        ),
        *(
            {
                "project": f"customers/{name}",
                "title": "Runners are slow",
                "author": "carol",
                "created_at": "2026-03-02T10:00:00Z",
            }
            for name in NAMES
        ),
    ],
}


@pytest.fixture
def gitlab(sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return seeded(sandbox, tmp_path, monkeypatch, clock=CLOCK, seed=SEED)


def salsatam(gitlab: Any, *args: str) -> Result:
    return run(gitlab, *args, now=NOW)


def test_sigterm_during_apply_stops_after_the_change_in_hand_and_reports_it(
    gitlab: Any, tmp_path: Path
) -> None:
    gitlab.set_faults(latency_ms=60)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SALSATAM_URL")}
    env["SALSATAM_TOKEN"] = gitlab.token
    command = Path(sys.executable).parent / "salsatam"
    args = [str(command), "apply", "--url", gitlab.url, "--now", NOW, "--report", "out"]
    run = subprocess.Popen(
        args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert run.stdout is not None
    printed = [run.stdout.readline() for _ in range(3)]  # changes appear as they are made
    assert all(line.strip() for line in printed), run.stderr.read() if run.stderr else ""
    run.send_signal(signal.SIGTERM)
    rest, stderr = run.communicate(timeout=60)
    lines = [line.rstrip("\n") for line in printed] + rest.splitlines()

    assert run.returncode == 143, stderr
    outcome = json.loads((tmp_path / "out" / "outcome.json").read_text())
    done = len(outcome["results"])
    planned = json.loads(salsatam(gitlab, "plan", "--format", "json").stdout)["changes"]
    assert done >= 3 and planned  # stopped before the end: the rest is still planned
    summary = (
        f"salsatam: interrupted (SIGTERM) after {done} of {done + len(planned)} changes; "
        "the next run continues where this one stopped"
    )
    assert summary in stderr.splitlines()
    assert stderr.splitlines()[-1].startswith(f"applied {done} changes")
    assert outcome["interrupted"] == summary.removeprefix("salsatam: ")
    assert {r["status"] for r in outcome["results"]} == {"done"}
    assert len(lines) == done  # every change made was printed, and only those


def test_a_gitlab_failure_while_reading_names_the_request_and_writes_nothing(
    gitlab: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("SALSATAM_LOG")  # in CI the debug log goes next to the report
    gitlab.set_faults(fault_rate=1.0, seed=1)
    result = salsatam(gitlab, "apply", "--report", "public")
    assert result.exit_code == 4, result.output
    log = tmp_path / "public-debug.log"
    project = "/api/v4/projects/account-management%2Faccounts"
    message = result.stderr.splitlines()[-1]  # after the "reading GitLab" CI section
    assert message.startswith(f"salsatam: GitLab failed while reading (GET {project}: 50")
    assert message.endswith(
        ", 5 attempts): 500 Internal Server Error; nothing was written "
        f"(every request is in the debug log: {log})"
    )
    assert f"GET {project} 50" in log.read_text()
    outcome = json.loads((tmp_path / "public" / "outcome.json").read_text())
    assert outcome["results"] == [] and "nothing was written" in outcome["error"]
    gitlab.set_faults()
    assert gitlab.requests()["writes"] == 0


def test_rate_limit_waits_are_said_and_summed_up(gitlab: Any) -> None:
    minute = datetime(2026, 3, 10, 9, 0, 59, 500_000, tzinfo=UTC)
    gitlab.set_clock(minute)
    gitlab.set_profile("gitlab-com", api_limit=25)
    stop = threading.Event()

    def next_minute() -> None:  # while python-gitlab sleeps Retry-After (1 s), a minute ends
        n = 0
        while not stop.wait(0.4):
            n += 1
            gitlab.set_clock(minute + timedelta(minutes=n))

    ticking = threading.Thread(target=next_minute)
    ticking.start()
    try:
        result = salsatam(gitlab, "apply")
    finally:
        stop.set()
        ticking.join()
    assert result.exit_code == 0, result.output
    waits = [line for line in result.stderr.splitlines() if "(429)" in line]
    assert waits and all(
        line.startswith("GitLab rate limit (429) on ") and line.endswith(": waiting 1 s")
        for line in waits
    )
    assert all("?" not in line for line in waits)  # paths without their query
    assert result.stderr.splitlines()[-1].endswith(
        f"; {len(waits)} × 429, waited about {len(waits)} s"
    )


def test_lists_on_a_board_or_label_that_failed_are_skipped_with_the_reason(
    sandbox: Any,
) -> None:
    sandbox.seed({"groups": [{"path": "am"}], "projects": [{"path": "am/accounts"}]})
    policies = load_policies(PACKAGED / "policies", PACKAGED / "templates")
    policies = policies.with_settings(accounts_project="am/accounts", customers_group="am")
    conn = connect(sandbox.url, sandbox.token, read_backoff=0)
    snapshot = fetch_snapshot(conn, policies, (), None, CLOCK, notes_needed=lambda *_: set())
    why = {"reason": "test", "rule": "test"}
    board = {"project": "am/accounts", "board": "Health"}
    plan = Plan(now=CLOCK, kinds=("boards",), changes=[
        CreateLabel(**why, key="l", project="am/accounts", name="odd", color="not a colour"),
        CreateBoard(**why, key="b", project="am/accounts", name="Health"),
        CreateBoardList(**why, key="odd", **board, label="odd", position=0),
    ])
    outcome = apply_plan(conn, plan, snapshot)
    assert [(r.change.key, r.status) for r in outcome.results] == [
        ("l", "failed"), ("b", "done"), ("odd", "skipped")]
    assert outcome.results[2].detail.startswith("label ~odd was not created (400: ")

    sandbox.set_faults(fault_rate=1.0)  # the board can't be created: its lists are skipped
    plan = Plan(now=CLOCK, kinds=("boards",), changes=[
        CreateBoard(**why, key="b2", project="am/accounts", name="Other"),
        CreateBoardList(**why, key="x", project="am/accounts", board="Other", label="odd",
                        position=0),
    ])
    outcome = apply_plan(conn, plan, snapshot)
    sandbox.set_faults()
    assert [(r.change.key, r.status) for r in outcome.results] == [("b2", "failed"),
                                                                    ("x", "skipped")]
    assert outcome.results[1].detail.startswith('board "Other" was not created (50')
