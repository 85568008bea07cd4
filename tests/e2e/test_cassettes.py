"""The GitLab layer replayed from recorded cassettes (vcrpy): no server needed.

By default the cassettes in tests/cassettes/ replay (`record_mode="none"`): a request that
was not recorded fails the test. `SALSATAM_CASSETTES=record` builds a small world through
the API and records again, against `SALSATAM_CASSETTE_URL` (a real GitLab, with
`SALSATAM_CASSETTE_TOKEN` and an existing `SALSATAM_CASSETTE_GROUP` to work in) or, without
a URL, against the sandbox. See docs/gitlab-layer.md.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gitlab
import pytest
import vcr

from triage.changes import AddNote, CreateIssue, CreateLabel, SetLabels, UpdateDescription
from triage.gitlab.apply import apply_plan
from triage.gitlab.client import Connection, connect
from triage.gitlab.fetch import fetch_snapshot
from triage.plan import Plan
from triage.policy.health import HealthPolicy
from triage.policy.model import Settings
from triage.snapshot import IssueRef, Snapshot, marker

pytestmark = pytest.mark.e2e

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
RECORDING = os.environ.get("SALSATAM_CASSETTES") == "record"
SECRET_HEADERS = ["PRIVATE-TOKEN", "Authorization", "JOB-TOKEN", "Cookie", "Set-Cookie"]
REPLAY_TOKEN = "replayed-without-a-token"


@dataclass(frozen=True)
class World:
    """Where a recording was made: GitLab's URL, the paths it created, and its clock."""

    url: str
    accounts: str
    customers: str
    now: str

    @property
    def settings(self) -> Settings:
        return Settings(None, self.accounts, self.customers)

    @property
    def acme(self) -> str:
        return f"{self.customers}/acme"

    @property
    def clock(self) -> datetime:
        return datetime.fromisoformat(self.now)


@dataclass(frozen=True)
class Policies:
    settings: Settings
    health: HealthPolicy = field(default_factory=HealthPolicy)


def recorder(token: str) -> vcr.VCR:
    def scrub(response: dict[str, Any]) -> dict[str, Any]:
        body = response["body"].get("string")
        if isinstance(body, bytes) and token.encode() in body:
            response["body"]["string"] = body.replace(token.encode(), b"[REDACTED]")
        return response

    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="all" if RECORDING else "none",
        match_on=["method", "path", "query", "body"],
        filter_headers=SECRET_HEADERS,
        before_record_response=scrub,
        decode_compressed_response=True,
    )


def record(project: str) -> str:
    return f"The record.\n\n```yaml\narr: 120000\ncollaboration_project: {project}\n```\n"


def build_world(gl: gitlab.Gitlab, parent: gitlab.v4.objects.Group | None) -> World:
    """A small book through the API: accounts project, customers group, two accounts."""
    stamp = time.strftime("%Y%m%d%H%M%S")
    base = {"parent_id": parent.id} if parent else {}
    group = gl.groups.create({"name": f"salsatam {stamp}", "path": f"salsatam-{stamp}", **base})
    customers = gl.groups.create({"name": "customers", "path": "customers",
                                  "parent_id": group.id})
    accounts = gl.projects.create({"name": "accounts", "namespace_id": group.id})
    acme = gl.projects.create({"name": "acme", "namespace_id": customers.id})
    for name, color in (("account", "#1f75cb"), ("salsatam", "#6e49cb"),
                        ("health::green", "#108548"), ("health::yellow", "#c17d10")):
        accounts.labels.create({"name": name, "color": color})
    acme_path = acme.path_with_namespace
    accounts.issues.create({"title": "Acme", "labels": "account,health::green",
                            "description": record(acme_path)})
    accounts.issues.create({"title": "Globex", "labels": "account", "description": "No record"})
    kickoff = acme.issues.create({"title": "Kickoff", "description": "Let's start"})
    kickoff.notes.create({"body": "Agenda attached"})
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    return World(gl.url, accounts.path_with_namespace, customers.full_path, now)


def world_for(name: str, request: pytest.FixtureRequest) -> tuple[World, str]:
    """The recorded world (replay), or a new one and its token (record)."""
    saved = CASSETTES / f"{name}.world.json"
    if not RECORDING:
        if not saved.exists():
            pytest.skip(f"no cassette {name}: record with SALSATAM_CASSETTES=record")
        return World(**json.loads(saved.read_text())), REPLAY_TOKEN
    url = os.environ.get("SALSATAM_CASSETTE_URL")
    if url:
        token = os.environ["SALSATAM_CASSETTE_TOKEN"]
        gl = gitlab.Gitlab(url, private_token=token)
        parent = gl.groups.get(os.environ["SALSATAM_CASSETTE_GROUP"])
    else:
        sandbox = request.getfixturevalue("sandbox")
        token, gl, parent = sandbox.token, sandbox.gitlab(), None
    world = build_world(gl, parent)
    (CASSETTES / f"{name}.yaml").unlink(missing_ok=True)  # "all" would add to it
    saved.write_text(json.dumps(world.__dict__, indent=2) + "\n")
    return world, token


def snapshot_of(conn: Connection, world: World, kickoff_notes: bool) -> Snapshot:
    kickoff = IssueRef(world.acme, 1)
    return fetch_snapshot(conn, Policies(world.settings), ("health",), None, world.clock,
                          notes_needed=lambda *_: {kickoff} if kickoff_notes else set())


def test_fetch_replays_a_recorded_gitlab(request: pytest.FixtureRequest) -> None:
    world, token = world_for("fetch", request)
    with recorder(token).use_cassette("fetch.yaml"):
        conn = connect(world.url, token, read_backoff=0)
        snapshot = snapshot_of(conn, world, kickoff_notes=True)

    assert [i.title for i in snapshot.account_issues] == ["Globex", "Acme"]
    assert list(snapshot.projects) == [world.acme]
    (kickoff,) = snapshot.collaboration_issues[world.acme]
    assert kickoff.title == "Kickoff" and kickoff.description == "Let's start"
    assert [n.body for n in kickoff.notes or ()] == ["Agenda attached"]
    assert {"account", "salsatam", "health::green"} <= set(snapshot.labels)
    # project, members, labels, accounts, own issues, group projects, 2 group issue lists,
    # one page of notes
    assert conn.requests == 9


def test_apply_replays_a_recorded_gitlab(request: pytest.FixtureRequest) -> None:
    world, token = world_for("apply", request)
    acme = IssueRef(world.accounts, 1)
    why = {"reason": "recorded", "rule": "cassette"}
    plan = Plan(now=world.clock, kinds=("health",), changes=[
        CreateLabel(**why, key="l", project=world.accounts, name="health::red",
                    color="#dd2b0e"),
        SetLabels(**why, key="s", issue=acme, add=("health::yellow",)),
        UpdateDescription(**why, key="d", issue=acme, description=record(world.acme) + "v2"),
        AddNote(**why, key="n", issue=acme, body="Yellow. " + marker("n")),
        CreateIssue(**why, key="t", project=world.accounts, title="Triage: Acme",
                    description="Why " + marker("t"), link_to=acme),
    ])
    with recorder(token).use_cassette("apply.yaml"):
        conn = connect(world.url, token, read_backoff=0)
        snapshot = snapshot_of(conn, world, kickoff_notes=False)
        outcome = apply_plan(conn, plan, snapshot)
        again = apply_plan(conn, plan, snapshot_of(conn, world, kickoff_notes=False))

    assert [(r.change.key, r.status) for r in outcome.results] == [
        ("l", "done"), ("t", "done"), ("n", "done"), ("s", "done"), ("d", "done")]
    assert outcome.results[1].detail == f"created: {world.accounts}#3"
    assert conn.writes == 5 + 3  # label, issue, link, note, one PUT; then 2 409s and a PUT
    assert {r.detail for r in again.results} >= {"exists already"}


def test_cassettes_hold_no_token() -> None:
    tokens = ["glpat-", "sandbox-root-token", os.environ.get("SALSATAM_CASSETTE_TOKEN")]
    for path in CASSETTES.glob("*"):
        text = path.read_text()
        for header in SECRET_HEADERS:
            assert f"{header}:" not in text, path
        assert not [t for t in tokens if t and t in text], path
