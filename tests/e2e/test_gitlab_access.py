"""The token's user and scope: a Guest or a `read_api` token is stopped before it makes a
mess, and a note that fails keeps its issue's update for the next run."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from triage.changes import AddNote, CreateIssue, SetLabels
from triage.cli import main
from triage.commands.apply import apply_run
from triage.commands.options import RunOptions
from triage.commands.setup import load, read_and_evaluate
from triage.demo.book import ACCOUNTS_GROUP, ACCOUNTS_PROJECT, BOT, CUSTOMERS_GROUP, build_book
from triage.demo.policies import write_policies
from triage.gitlab.access import require_write_access
from triage.gitlab.apply import DROPPED_LABELS, NOTE_FIRST, apply_plan
from triage.gitlab.client import connect
from triage.gitlab.errors import SettingsError
from triage.plan import Plan
from triage.policy.loader import PACKAGED
from triage.snapshot import find_key

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
GUEST, REPORTER = 10, 20
NOTHING_WRITTEN = "it needs the Reporter role (or more) to write; nothing was written"


def seeded(
    sandbox: Any, tmp_path: Path, accounts: int | None = None, customers: int | None = None
) -> RunOptions:
    """The demo book; with `accounts`/`customers`, a user `helper` with those roles in the
    accounts and customers groups, whose token the options carry (else the bot's)."""
    sandbox.set_clock(NOW)
    book = build_book(NOW, 7)
    seed = copy.deepcopy(book.seed)
    user = BOT
    if accounts is not None or customers is not None:
        user = "helper"
        seed["users"].append({"username": user, "name": "Helper"})
        for group in seed["groups"]:
            level = {ACCOUNTS_GROUP: accounts, CUSTOMERS_GROUP: customers}.get(group["path"])
            if level is not None:
                group["members"].append({"username": user, "access_level": level})
    token = sandbox.seed(seed)["users"][user]["token"]
    return RunOptions(
        url=sandbox.url,
        token=token,
        policies=write_policies(book, tmp_path / "policies"),
        templates=PACKAGED / "templates",
        now=NOW,
    )


def run(command: str, opts: RunOptions, token: str | None = None) -> Result:
    args = [command, "--url", str(opts.url), "--token", token or str(opts.token),
            "--policies", str(opts.policies), "--templates", str(opts.templates),
            "--now", NOW.isoformat()]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_a_guest_token_is_refused_before_anything_is_written(
    sandbox: Any, tmp_path: Path
) -> None:
    opts = seeded(sandbox, tmp_path, accounts=GUEST, customers=REPORTER)
    sandbox.reset_requests()
    result = run("apply", opts)
    assert result.exit_code == 2, result.output
    assert (
        f"salsatam: salsatam's user helper is a Guest in {ACCOUNTS_PROJECT}: {NOTHING_WRITTEN}"
        in result.output
    )
    counted = sandbox.requests()
    assert counted["writes"] == 0
    # one read: the user; the accounts project's roles came with its members list
    assert counted["by_route"]["GET /user"] == 1
    assert not [r for r in counted["by_route"] if r.endswith("/members/all/:user_id")]


def test_a_guest_in_the_customers_group_is_refused_too(sandbox: Any, tmp_path: Path) -> None:
    opts = seeded(sandbox, tmp_path, accounts=REPORTER, customers=GUEST)
    result = run("apply", opts)
    assert result.exit_code == 2, result.output
    assert f"helper is a Guest in {CUSTOMERS_GROUP}: {NOTHING_WRITTEN}" in result.output
    assert sandbox.requests()["writes"] == 0


def test_plan_with_a_guest_token_warns_that_it_may_be_incomplete(
    sandbox: Any, tmp_path: Path
) -> None:
    opts = seeded(sandbox, tmp_path, accounts=GUEST, customers=GUEST)
    result = run("plan", opts)
    assert result.exit_code == 0, result.output
    assert (
        f"warning: salsatam's user helper is a Guest in {ACCOUNTS_PROJECT}: it can't see "
        "confidential issues, so this plan may be incomplete" in result.output
    )


def test_a_reporter_and_an_admin_pass_and_the_answers_are_kept(
    sandbox: Any, tmp_path: Path
) -> None:
    opts = seeded(sandbox, tmp_path, accounts=REPORTER, customers=REPORTER)
    conn = connect(sandbox.url, str(opts.token), read_backoff=0)
    home = (ACCOUNTS_PROJECT, ACCOUNTS_PROJECT)
    require_write_access(conn, home, CUSTOMERS_GROUP)
    reads = conn.requests
    require_write_access(conn, home, CUSTOMERS_GROUP)
    assert reads == 3 and conn.requests == reads  # /user, the project's and group's roles
    admin = connect(sandbox.url, sandbox.token, read_backoff=0)
    require_write_access(admin, home, CUSTOMERS_GROUP)
    assert admin.requests == 1
    sandbox.reset()
    outsider = seeded(sandbox, tmp_path, customers=REPORTER)
    with pytest.raises(SettingsError, match=f"helper is not a member of {ACCOUNTS_PROJECT}"):
        require_write_access(connect(sandbox.url, str(outsider.token)), home, CUSTOMERS_GROUP)


def guest_creates(sandbox: Any, tmp_path: Path) -> tuple[Any, Plan, list[CreateIssue]]:
    """A plan evaluated as the bot, and a connection as a Guest (past the role check, as
    if it had been skipped) with the plan's first issue creates only."""
    opts = seeded(sandbox, tmp_path, accounts=GUEST, customers=GUEST)
    bot = replace(opts, token="token-" + BOT)
    policies = load(bot)
    snapshot, plan = read_and_evaluate(bot, policies, connect(sandbox.url, "token-" + BOT), NOW)
    creates = [c for c in plan.changes if isinstance(c, CreateIssue)][:2]
    assert creates
    conn = connect(sandbox.url, str(opts.token), read_backoff=0)
    return (conn, snapshot), Plan(now=NOW, kinds=plan.kinds, changes=list(creates)), creates


def issues_with_key(sandbox: Any, key: str) -> list[Any]:
    project = sandbox.gitlab().projects.get(ACCOUNTS_PROJECT)
    listed = project.issues.list(iterator=True, state="all", per_page=100)
    return [i for i in listed if find_key(i.description) == key]


def test_an_issue_created_without_its_labels_is_reported_as_failed(
    sandbox: Any, tmp_path: Path
) -> None:
    (conn, snapshot), plan, creates = guest_creates(sandbox, tmp_path)
    outcome = apply_plan(conn, plan, snapshot)
    assert len(outcome.results) == len(creates)
    assert {r.status for r in outcome.results} == {"failed"}
    assert all(r.detail.endswith(f"but {DROPPED_LABELS}") for r in outcome.results)
    assert outcome.results[0].detail.startswith(f"created: {ACCOUNTS_PROJECT}#")


def test_after_a_lost_answer_an_issue_without_labels_is_found_by_its_key(
    sandbox: Any, tmp_path: Path
) -> None:
    (conn, snapshot), plan, creates = guest_creates(sandbox, tmp_path)
    sandbox.set_lost_response_rate(1.0, seed=1, scope="creates")
    outcome = apply_plan(conn, plan, snapshot)
    assert [r.detail.split(":")[0] for r in outcome.results] == [
        "found after an unanswered request"
    ] * len(creates)
    for change in creates:
        found = issues_with_key(sandbox, change.key)
        assert len(found) == 1 and found[0].labels == []


def test_a_note_that_fails_keeps_its_issues_update_for_the_next_run(
    sandbox: Any, tmp_path: Path
) -> None:
    opts = seeded(sandbox, tmp_path)
    policies = load(opts)
    conn = connect(str(opts.url), str(opts.token), read_backoff=0.001)
    snapshot, plan = read_and_evaluate(opts, policies, conn, NOW)
    sandbox.set_faults(fault_rate=0.3, seed=4)
    flaky = apply_plan(conn, plan, snapshot)
    sandbox.set_faults(fault_rate=0.0)
    failed_notes = [
        r.change for r in flaky.results
        if isinstance(r.change, AddNote) and r.status == "failed"
    ]
    held = [r.change for r in flaky.results if r.detail == NOTE_FIRST]
    assert failed_notes and held
    assert {c.issue for c in held} <= {c.issue for c in failed_notes}
    assert all(r.status == "skipped" for r in flaky.results if r.detail == NOTE_FIRST)

    clean = apply_run(opts)
    assert clean.outcome.failed == 0
    gl = sandbox.gitlab()
    for note in failed_notes:
        issue = gl.projects.get(note.issue.project).issues.get(note.issue.iid)
        keys = [find_key(n.body) for n in issue.notes.list(iterator=True)]
        assert keys.count(note.key) == 1, note.key
    for change in held:
        if isinstance(change, SetLabels):
            issue = gl.projects.get(change.issue.project).issues.get(change.issue.iid)
            assert set(change.add) <= set(issue.labels), change.key


def test_a_read_api_token_stops_apply_at_the_first_refusal(
    sandbox: Any, tmp_path: Path
) -> None:
    opts = seeded(sandbox, tmp_path)
    bot_id = sandbox.gitlab().users.list(username=BOT)[0].id
    created = sandbox.gitlab().http_post(
        f"/users/{bot_id}/personal_access_tokens", post_data={"name": "ro", "scopes": ["read_api"]}
    )
    sandbox.reset_requests()
    result = run("apply", opts, token=created["token"])
    assert result.exit_code == 2, result.output
    assert (
        "salsatam: the token has read_api only: apply needs a token with the api scope; "
        "0 changes were made before" in result.output
    )
    assert result.output.count("insufficient_scope") == 0
    assert sandbox.requests()["writes"] == 1  # the first write, refused; nothing else tried
