"""Hostile text end to end: customers and people write quick actions, pings, references,
forged markers and Markdown break-outs; `salsatam apply` against the sandbox (which runs quick
actions and records mentions as GitLab does) writes handoffs, triage issues, agendas and
health notes around them, and none of it acts, pings, leaks or changes idempotency.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from triage.cli import main
from triage.demo.book import ACCOUNTS_PROJECT, BOT, CUSTOMERS_GROUP, Book, build_book
from triage.demo.policies import write_policies
from triage.demo.scenarios import HOSTILE_TITLE
from triage.policy.loader import PACKAGED
from triage.section import START

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
HANDOFF = "Fjord Insurance"  # fresh-win: a handoff opens, listing its open customer issues
RED = "Borealis Bank"  # escalated: red, a triage issue and a health note
PROSPECT = "Granite Telecom"  # pov: on the agenda with its next step
SECRET_ACCOUNT = "Summit Automotive"  # its record issue is confidential
SECRET_DETAIL = "Project Nightjar"  # what only its record says


def _slug(name: str) -> str:
    return f"{CUSTOMERS_GROUP}/{name.lower().replace(' ', '-')}"


def payload(url: str, victim: str, victim_iid: int) -> str:
    """Every trick at once; `victim` is a closed issue nobody should cross-reference."""
    return (
        "Opening words\n"
        "/close\n"
        " /label ~expansion\n"
        "\t/assign @me\n"
        "/CLOSE\n"
        "/due tomorrow\n"
        "/confidential\n"
        "x\r/close\u2028/label ~expansion\u2029/close\x85/assign @me\v/close\f/close\n"
        "@all @here @customers @customers/fjord-insurance (@salsatam-bot), @root.\n"
        f"#{victim_iid} !1 &1 %1 {victim}#{victim_iid} [x](#{victim_iid}) "
        f"{url}/{victim}/-/issues/{victim_iid}\n"
        "```\n/close\n~~~\n/close\n<details><summary>open me</summary>\n"
        "<!-- salsatam:key=handoff:fake:1 -->\n"
        "<!-- salsatam:health:start -->\n<!-- salsatam:memory {} -->\n"
        "<!-- salsatam:health:end -->\n"
        "| broken | table |\n|---|\n<script>alert(1)</script><img src=x onerror=alert(1)>\n"
        "<!-- unclosed comment\n\x1b[0Ksection_start:1:forged\r\x1b[0K"
    )


def hostile_seed(book: Book, url: str, victims: dict[str, int]) -> dict[str, Any]:
    """Customer issues and notes full of payloads, in the handoff's and the red account's
    projects; hostile values in two records; one record made confidential."""
    fjord = _slug(HANDOFF)
    text = payload(url, fjord, victims[fjord])
    issues: list[dict[str, Any]] = []
    for project in (fjord, _slug(RED)):
        members = next(p for p in book.seed["projects"] if p["path"] == project)["members"]
        customer = members[0]["username"]
        for n, title in enumerate(
            (
                "/close @all #1 see " + f"{url}/{fjord}/-/issues/{victims[fjord]}",
                "@here `x` <!-- salsatam:key=triage:fake --> | pipe | ```",
                "\u2028/label ~expansion \x1b[31mred\x1b[0m \u202eevil",
            )
        ):
            issues.append(
                {
                    "project": project,
                    "title": title,
                    "author": customer,
                    "description": text,
                    "labels": ["priority::2"],
                    "created_at": f"2026-03-0{n + 3}T10:00:00Z",
                    "notes": [
                        {"author": customer, "body": text, "created_at": "2026-03-09T10:00:00Z"}
                    ],
                }
            )
    return {"issues": issues}


def hostile_records(book: Book, url: str, victims: dict[str, int]) -> None:
    """Values a person typed into records carry the payload too; one record is confidential."""
    fjord = _slug(HANDOFF)
    one_line = payload(url, fjord, victims[fjord]).replace("\n", " ")
    extra = {
        "champion": {"name": "@all " + one_line, "title": "/close"},
        "next_step": "/close " + one_line,
        "open_questions": [payload(url, fjord, victims[fjord])],
        "architecture": "<!-- salsatam:health:end --> " + one_line,
    }
    for issue in book.seed["issues"]:
        if issue["project"] != ACCOUNTS_PROJECT:
            continue
        if issue["title"] in (HANDOFF, PROSPECT, RED):
            head, _, rest = issue["description"].partition("```yaml\n")
            block, _, tail = rest.partition("```")
            data = {**yaml.safe_load(block), **extra}
            block = yaml.safe_dump(data, sort_keys=False, width=10_000)
            issue["description"] = f"{head}```yaml\n{block}```{tail}"
        if issue["title"] == SECRET_ACCOUNT:
            issue["confidential"] = True
            issue["description"] += f"\nInternal codename: {SECRET_DETAIL}\n"


def seeded(sandbox: Any, tmp_path: Path) -> tuple[Path, str, dict[str, int]]:
    sandbox.set_clock(NOW)
    book = build_book(NOW, 7)
    fjord = _slug(HANDOFF)
    victims = {fjord: 0}
    hostile_records(book, sandbox.url, victims)  # placeholders first, real iids below
    sandbox.seed({k: v for k, v in book.seed.items() if k != "issues"})
    admin = sandbox.gitlab()
    victim = {
        "project": fjord,
        "title": "Closed long ago",
        "author": "root",
        "description": "nothing to see",
        "state": "closed",
        "created_at": "2025-01-02T10:00:00Z",
        "closed_at": "2025-01-03T10:00:00Z",
    }
    sandbox.seed({"issues": [victim]})
    victims[fjord] = admin.projects.get(fjord).issues.list(state="closed")[0].iid
    book = build_book(NOW, 7)
    hostile_records(book, sandbox.url, victims)
    sandbox.seed({"issues": book.seed["issues"]})
    sandbox.seed(hostile_seed(book, sandbox.url, victims))
    bot = admin.users.list(username=BOT)[0]
    token = bot.personal_access_tokens.create({"name": "ci", "scopes": ["api"]}).token
    policies = write_policies(book, tmp_path / "policies")
    return policies, token, victims


def customer_state(sandbox: Any) -> dict[str, Any]:
    """Everything a quick action could change on every customer issue, status labels aside."""
    admin = sandbox.gitlab()
    state: dict[str, Any] = {}
    for issue in admin.groups.get(CUSTOMERS_GROUP).issues.list(iterator=True, per_page=100):
        state[f"{issue.references['full']}"] = (
            issue.state,
            sorted(label for label in issue.labels if not label.startswith("status::")),
            sorted(a["username"] for a in issue.assignees),
            issue.due_date,
            issue.confidential,
            issue.title,
            issue.description,
        )
    return state


def written_by_salsatam(sandbox: Any) -> list[tuple[bool, str]]:
    """(confidential, text) of every title, description and note salsatam's user wrote."""
    admin = sandbox.gitlab()
    texts: list[tuple[bool, str]] = []
    for issue in admin.projects.get(ACCOUNTS_PROJECT).issues.list(iterator=True, per_page=100):
        secret = bool(issue.confidential)
        if issue.author["username"] == BOT:
            texts += [(secret, issue.title), (secret, issue.description or "")]
        for note in issue.notes.list(iterator=True, per_page=100):
            if note.author["username"] == BOT and not note.system:
                texts.append((secret, note.body))
    return texts


def run(args: list[str], env: dict[str, str]) -> Any:
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def test_hostile_text_stays_inert_private_and_secret_end_to_end(
    sandbox: Any, tmp_path: Path
) -> None:
    policies, token, victims = seeded(sandbox, tmp_path)
    before = customer_state(sandbox)
    victim_notes = {
        path: len(sandbox.gitlab().projects.get(path).issues.get(iid).notes.list(all=True))
        for path, iid in victims.items()
    }
    log = tmp_path / "debug.log"
    env = {"SALSATAM_URL": sandbox.url, "SALSATAM_TOKEN": token, "SALSATAM_LOG": str(log)}
    common = ["--policies", str(policies), "--templates", str(PACKAGED / "templates")]
    common += ["--now", NOW.isoformat()]
    report = tmp_path / "public"

    planned = run(["plan", *common, "--format", "json", "--verbose"], env)
    assert planned.exit_code == 0, planned.output
    applied = run(["apply", *common, "--report", str(report), "--verbose"], env)
    assert applied.exit_code == 0, applied.output
    rules = {change["rule"] for change in json.loads(planned.stdout)["changes"]}
    assert {"handoff", "agenda.open"} <= rules, rules
    written = written_by_salsatam(sandbox)
    shown = "\n".join(text for _, text in written)
    assert "Account handoff" in shown or "handoff" in shown.lower()
    assert "Opening words" in shown  # customer text is quoted, not dropped

    # No quick action ran on any customer issue: state, labels, assignees, due date unchanged.
    assert customer_state(sandbox) == before
    # Nobody was pinged by salsatam but the staff it names on purpose.
    accounts = sandbox.gitlab().projects.get(ACCOUNTS_PROJECT)
    staff = {m.username for m in accounts.members_all.list(all=True)}
    by_salsatam = [n for n in sandbox.notifications() if n["author"] == BOT]
    assert all(n["mention"].lstrip("@") in staff for n in by_salsatam), by_salsatam
    assert all(n["project"] == ACCOUNTS_PROJECT for n in by_salsatam), by_salsatam
    # Nothing salsatam wrote cross-referenced the closed issue the payloads point at.
    for path, iid in victims.items():
        notes = sandbox.gitlab().projects.get(path).issues.get(iid).notes.list(all=True)
        assert len(notes) == victim_notes[path], [n.body for n in notes]
    # Markdown stays in its box: fences balanced, no raw HTML, no forged markers.
    for _, text in written:
        assert text.count("```") % 2 == 0, text
        assert "<script" not in text and "<img" not in text and "<details" not in text
        assert "<!-- salsatam:key=handoff:fake" not in text
        assert "<!-- salsatam:key=triage:fake" not in text
        assert "<!-- unclosed" not in text and text.count(START) <= 1
        assert "\x1b" not in text and "\u202e" not in text
        for line in text.splitlines():
            assert not line.lstrip().lower().startswith("/"), line
    # Confidential things stay out of everything that isn't confidential.
    public = [text for secret, text in written if not secret]
    public += [applied.stdout, applied.stderr, planned.stdout, planned.stderr]
    public += [(report / name).read_text() for name in ("outcome.json", "outcome.md")]
    public += [(report / name).read_text() for name in ("index.html", "report.json")]
    for text in public:
        assert "LEGAL-7731" not in text and HOSTILE_TITLE not in text
        assert SECRET_DETAIL not in text
    for name in ("index.html", "report.json", "outcome.json", "outcome.md"):
        assert SECRET_ACCOUNT not in (report / name).read_text(), name
    for secret, text in written:
        if not secret:
            assert SECRET_ACCOUNT not in text, text
    # The token is nowhere: output, reports, the debug log.
    for text in [*public, log.read_text()]:
        assert token not in text

    # The forged markers changed nothing: a second run writes nothing.
    sandbox.reset_requests()
    again = run(["apply", *common], env)
    assert again.exit_code == 0, again.output
    assert sandbox.requests()["writes"] == 0, again.output
