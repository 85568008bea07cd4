"""`--shard I/N`: a stable partition of the accounts by their record's iid."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import click
import pytest

from tests.unit.health_book import ACME, NOW, issue, policies, record, record_text, snapshot
from triage.commands.options import parse_shard
from triage.plan import KINDS, evaluate
from triage.shard import Shard, ShardError
from triage.snapshot import IssueRef


def test_parse_takes_ci_node_index_over_total() -> None:
    assert Shard.parse("2/4") == Shard(2, 4)
    assert Shard.parse(" 1 / 1 ") == Shard(1, 1)
    assert str(Shard(3, 5)) == "3/5"
    for wrong, message in [
        ("0/2", "need 1 <= I <= N"),
        ("3/2", "need 1 <= I <= N"),
        ("1/0", "need 1 <= I <= N"),
        ("1-2", "is not I/N"),
        ("a/b", "is not I/N"),
    ]:
        with pytest.raises(ShardError, match=message):
            Shard.parse(wrong)


def test_the_option_is_a_usage_error_when_malformed() -> None:
    assert parse_shard(None) is None
    assert parse_shard("1/3") == Shard(1, 3)
    with pytest.raises(click.BadParameter, match="'2' is not I/N"):
        parse_shard("2")


def test_every_account_is_in_exactly_one_shard_and_shards_are_even() -> None:
    for total in (1, 2, 3, 7):
        shards = [Shard(i, total) for i in range(1, total + 1)]
        owners: Counter[int] = Counter()
        for iid in range(1, 701):
            holding = [s.index for s in shards if s.holds(record(iid=iid))]
            assert holding == [Shard(1, total).of(iid)]
            owners[holding[0]] += 1
        assert len(owners) == total and max(owners.values()) - min(owners.values()) <= 1


def test_the_partition_depends_on_the_iid_only() -> None:
    shard = Shard(2, 3)
    assert [shard.of(iid) for iid in range(1, 8)] == [1, 2, 3, 1, 2, 3, 1]
    assert shard.holds(record(iid=5, title="Renamed")) == shard.holds(record(iid=5))


def test_whole_book_kinds_run_in_shard_one_only() -> None:
    assert Shard(1, 3).kinds(KINDS) == KINDS
    assert Shard(2, 3).kinds(KINDS) == ("health", "collaboration", "issues")
    assert Shard(1, 3).reads_every_note(KINDS)
    assert not Shard(1, 3).reads_every_note(("health", "issues"))
    assert not Shard(2, 3).reads_every_note(KINDS)


def test_notes_are_read_only_for_the_shards_collaboration_projects() -> None:
    other = "customers/globex"
    records = (
        record(iid=1),
        record(record_text(collaboration_project=other), iid=2, title="Globex"),
    )
    issues = {ACME: (issue(1),), other: (issue(1, project=other),)}
    snap = replace(snapshot(records), collaboration_issues=issues)

    def everything(*_: object) -> set[IssueRef]:
        return {IssueRef(ACME, 1), IssueRef(other, 1)}

    assert Shard(1, 2).projects(snap) == {ACME}
    assert Shard(1, 2).notes_needed(everything)(snap, None, NOW) == {IssueRef(ACME, 1)}
    assert Shard(2, 2).notes_needed(everything)(snap, None, NOW) == {IssueRef(other, 1)}


def test_a_shard_writes_for_its_accounts_and_sees_the_whole_book() -> None:
    records = tuple(record(iid=i, title=f"Account {i}") for i in (1, 2, 3))
    whole = evaluate(snapshot(records), policies(), NOW, kinds=("health",))
    first = evaluate(snapshot(records), policies(), NOW, ("health",), shard=Shard(1, 2))
    second = evaluate(snapshot(records), policies(), NOW, ("health",), shard=Shard(2, 2))
    assert [a.name for a in first.accounts] == ["Account 1", "Account 3"]
    assert [a.name for a in second.accounts] == ["Account 2"]
    keys = {c.key for c in whole.changes if c.rule != "labels.catalog"}
    mine = [{c.key for c in p.changes if c.rule != "labels.catalog"} for p in (first, second)]
    assert keys and mine[0] | mine[1] == keys and not mine[0] & mine[1]
    assert second.kinds == ("health",)
