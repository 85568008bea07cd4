"""The portfolio as JSON (report.json) and back.

report.json is what the next run compares with, and what `salsatam report` renders a page
from. Confidential accounts are kept by reference only: their titles never reach the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from triage.report.activity import ActionRow, WaitingRow, confidential_name
from triage.report.portfolio import SEVERITY, AccountRow, Distribution, Portfolio, TamLoad

FORMAT = "salsatam-portfolio"
VERSION = 1


class PortfolioFormatError(ValueError):
    """The JSON is not a portfolio this version of salsatam can read."""


def dump(portfolio: Portfolio) -> dict[str, Any]:
    distribution = portfolio.distribution
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": portfolio.generated_at.isoformat(),
        "kinds": list(portfolio.kinds),
        "distribution": dict(distribution.current),
        "previous_distribution": _opt(distribution.previous, dict),
        "previous_at": _opt(distribution.previous_at, datetime.isoformat),
        "accounts": [_dump_row(row) for row in portfolio.accounts],
        "renewals": [row.key for row in portfolio.renewals],
        "workload": [
            {
                "tam": load.tam,
                "counts": dict(load.counts),
                "priority_one": load.priority_one,
                "onboarding": load.onboarding,
            }
            for load in portfolio.workload
        ],
        "actions": [_dump_action(a) for a in portfolio.actions],
        "meetings": [_dump_action(a) for a in portfolio.meetings],
        "unreadable": [row.key for row in portfolio.unreadable],
        "waiting": [
            {
                "account": w.account,
                "what": w.what,
                "url": w.url,
                "idle_days": w.idle_days,
                "waited": w.waited,
            }
            for w in portfolio.waiting
        ],
        "problems": [list(problem) for problem in portfolio.problems],
        "change_counts": dict(portfolio.change_counts),
    }


def _dump_action(action: ActionRow) -> dict[str, Any]:
    return {
        "account": action.account,
        "what": action.what,
        "rule": action.rule,
        "project": action.project,
        "due": _opt(action.due, date.isoformat),
        "reason": action.reason,
        "kind": action.kind,
        "owner": action.owner,
        "overdue": action.overdue,
        "opens": action.opens,
        "url": action.url,
    }


def _load_action(item: Mapping[str, Any]) -> ActionRow:
    return ActionRow(
        account=str(item["account"]),
        what=str(item["what"]),
        rule=str(item["rule"]),
        project=str(item["project"]),
        due=_opt(item.get("due"), date.fromisoformat),
        reason=str(item["reason"]),
        kind=str(item.get("kind", "")),
        owner=str(item.get("owner", "")),
        overdue=bool(item.get("overdue", False)),
        opens=bool(item.get("opens", True)),
        url=str(item.get("url", "")),
    )


def _dump_row(row: AccountRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": None if row.confidential else row.name,
        "url": row.url,
        "confidential": row.confidential,
        "segment": row.segment,
        "stage": row.stage,
        "tam": row.tam,
        "arr": row.arr,
        "renewal": _opt(row.renewal, date.isoformat),
        "days_to_renewal": row.days_to_renewal,
        "priority": row.priority,
        "colour": row.colour,
        "score": row.score,
        "pinned": row.pinned,
        "reasons": list(row.reasons),
        "watch": list(row.watch),
        "overridden": row.overridden,
        "readable": row.readable,
        "problems": list(row.problems),
        "since": _opt(row.since, date.isoformat),
        "previous_colour": row.previous_colour,
    }


def readable(data: object) -> Mapping[str, Any] | None:
    """`data` if it is a portfolio this version understands, else None."""
    if not isinstance(data, dict):
        return None
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        return None
    return data


def load(data: object) -> Portfolio:
    """The portfolio dumped into `data`; PortfolioFormatError when it is not one."""
    found = readable(data)
    if found is None:
        raise PortfolioFormatError(f"not a {FORMAT} version {VERSION} document")
    try:
        return _load(found)
    except (KeyError, TypeError, ValueError) as error:
        raise PortfolioFormatError(f"malformed {FORMAT} document: {error!r}") from error


def _load(data: Mapping[str, Any]) -> Portfolio:
    rows = tuple(_load_row(item) for item in data["accounts"])
    by_key = {row.key: row for row in rows}
    previous = data.get("previous_distribution")
    return Portfolio(
        generated_at=datetime.fromisoformat(data["generated_at"]),
        kinds=tuple(data["kinds"]),
        accounts=rows,
        distribution=Distribution(
            current={str(k): int(v) for k, v in data["distribution"].items()},
            previous={str(k): int(v) for k, v in previous.items()} if previous else None,
            previous_at=_opt(data.get("previous_at"), datetime.fromisoformat),
        ),
        renewals=tuple(by_key[key] for key in data["renewals"]),
        workload=tuple(
            TamLoad(
                tam=str(item["tam"]),
                counts={str(k): int(v) for k, v in item["counts"].items()},
                priority_one=int(item["priority_one"]),
                onboarding=int(item["onboarding"]),
            )
            for item in data["workload"]
        ),
        actions=tuple(_load_action(item) for item in data["actions"]),
        waiting=tuple(
            WaitingRow(
                str(i["account"]),
                str(i["what"]),
                str(i["url"]),
                int(i["idle_days"]),
                None if i.get("waited") is None else int(i["waited"]),
            )
            for i in data["waiting"]
        ),
        problems=tuple((str(a), str(r), str(m)) for a, r, m in data["problems"]),
        change_counts={str(k): int(v) for k, v in data["change_counts"].items()},
        # Absent from reports written before these were kept.
        meetings=tuple(_load_action(item) for item in data.get("meetings", [])),
        unreadable=tuple(by_key[key] for key in data.get("unreadable", [])),
    )


def _load_row(item: Mapping[str, Any]) -> AccountRow:
    key = str(item["key"])
    if item["colour"] not in SEVERITY or (item.get("previous_colour") or "none") not in SEVERITY:
        raise ValueError(f"account {key}: unknown colour")
    confidential = bool(item["confidential"])
    return AccountRow(
        key=key,
        name=confidential_name(key) if confidential else str(item["name"]),
        url=str(item["url"]),
        confidential=confidential,
        segment=item.get("segment"),
        stage=item.get("stage"),
        tam=item.get("tam"),
        arr=_opt(item.get("arr"), float),
        renewal=_opt(item.get("renewal"), date.fromisoformat),
        days_to_renewal=_opt(item.get("days_to_renewal"), int),
        priority=_opt(item.get("priority"), int),
        colour=str(item["colour"]),
        score=_opt(item.get("score"), float),
        pinned=bool(item["pinned"]),
        reasons=tuple(str(r) for r in item["reasons"]),
        watch=tuple(str(w) for w in item.get("watch", [])),
        overridden=bool(item.get("overridden", False)),
        readable=bool(item.get("readable", True)),
        problems=tuple(str(p) for p in item["problems"]),
        since=_opt(item.get("since"), date.fromisoformat),
        previous_colour=item.get("previous_colour"),
    )


def _opt(value: Any, convert: Any) -> Any:
    return None if value is None else convert(value)
