"""The demo's book of business and policy directory, checked without a server."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from triage.demo.book import ACCOUNTS_PROJECT, BOT, build_book
from triage.demo.policies import write_policies
from triage.demo.scenarios import HOSTILE_TITLE
from triage.policy.loader import PACKAGED, load_policies
from triage.records import parse_record

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


def test_policies_load_with_the_books_teams(tmp_path: Path) -> None:
    book = build_book(NOW)
    policies = load_policies(write_policies(book, tmp_path / "p"), PACKAGED / "templates")
    assert [t.name for t in policies.teams.teams] == ["east", "west", "mid-market"]
    assert policies.teams.team("mid-market").sa_pool == ("ravi.kumar", "julia.novak")
    assert policies.settings.accounts_project == ACCOUNTS_PROJECT
    assert policies.settings.bots == (BOT,)


def test_every_record_reads_but_the_broken_one() -> None:
    book = build_book(NOW)
    records = [i for i in book.seed["issues"] if i["project"] == ACCOUNTS_PROJECT]
    assert len(records) == len(book.accounts) == 40
    broken = {r["title"] for r in records if parse_record(r["description"]).record is None}
    assert broken == {"Willow Education"}
    segments = Counter(label for r in records for label in r["labels"] if "segment::" in label)
    assert segments == {"segment::enterprise": 27, "segment::mid-market": 13}


def test_history_is_dated_before_now_and_holds_one_hostile_confidential_issue() -> None:
    book = build_book(NOW)
    stamp = NOW.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    for issue in book.seed["issues"]:
        assert issue["created_at"] <= stamp
        for note in issue.get("notes", []):
            assert issue["created_at"] <= note["created_at"] <= stamp
    hostile = [i for i in book.seed["issues"] if i["title"] == HOSTILE_TITLE]
    assert len(hostile) == 1 and hostile[0]["confidential"] is True
    assert book.issues > 500 and book.notes > 300
