"""Customer-written text stays inert in every issue and note salsatam writes, and
confidential customer issues appear by reference only."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from issues_book import (
    NOW,
    apply,
    book,
    closes,
    creates,
    customer_issue,
    days,
    notes,
    plan,
    record,
    with_issues,
)

from triage.plan import Plan
from triage.render import ZWSP, mention

COLLAB = "customers/northwind"
SECRET_TITLE = "Outage at Northwind: private details"
SECRET_BODY = "the root password is in this issue"
HOSTILE_TITLES = (
    "/close",
    "/label ~x",
    "@all please look",
    "<script>alert(1)</script>",
    "``` unbalanced fence",
    "see #1 and !2 and %3",
)
HOSTILE_BODY = "fine\n/close\n/label ~x\n/assign @all\n<script>x</script>\n```\n#1 @here @all"


def hostile_book(labels: tuple[str, ...], **fields: object):  # type: ignore[no-untyped-def]
    issues = [
        customer_issue(COLLAB, 5 + n, title, HOSTILE_BODY, labels=("status::awaiting-team",))
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    issues.append(customer_issue(COLLAB, 40, SECRET_TITLE, SECRET_BODY, confidential=True))
    account = record(labels=labels, collaboration_project=COLLAB, **fields)
    return book(account, collaboration={COLLAB: tuple(issues)})


def written_texts(result: Plan) -> list[str]:
    texts: list[str] = []
    for change in result.changes:
        for name in ("description", "body", "note", "title"):
            value = getattr(change, name, None)
            if isinstance(value, str):
                texts.append(value)
    return texts


def assert_inert(text: str) -> None:
    fences = 0
    for line in text.splitlines():
        assert not line.lstrip().startswith("/"), line
        fences += line.lstrip().startswith("```")
    assert fences % 2 == 0
    assert "@all" not in text and "@here" not in text
    assert "<script" not in text.lower()
    assert not re.search(r"(?<![\w/\-])[#!%]\d", text), text
    assert "~x" not in text.replace("\\~x", "")


@pytest.mark.parametrize(
    ("labels", "fields"),
    [
        (("segment::enterprise", "stage::technical-win"), {}),
        (
            ("segment::enterprise", "stage::adoption"),
            {"sentiment": {"color": "red", "date": days(-1)}},
        ),
    ],
    ids=["handoff", "triage"],
)
def test_hostile_customer_text_is_inert_where_it_is_shown(labels, fields) -> None:  # type: ignore[no-untyped-def]
    snapshot = hostile_book(labels, **fields)
    result = plan(snapshot)
    assert creates(result)
    for text in written_texts(result):
        assert_inert(text)
    shown = "\n".join(written_texts(result))
    assert "\\/close" in shown  # the title is there, neutralised
    assert "&lt;script&gt;" in shown


def test_a_confidential_customer_issue_appears_by_reference_only() -> None:
    snapshot = hostile_book(("segment::enterprise", "stage::technical-win"))
    result = plan(snapshot)
    everything = "\n".join(written_texts(result))
    assert "customers/northwind#40 (confidential)" in everything
    assert "Outage" not in everything and "root password" not in everything


def test_update_and_closing_notes_are_inert_too() -> None:
    snapshot = hostile_book(
        ("segment::enterprise", "stage::adoption"), sentiment={"color": "red", "date": days(-1)}
    )
    opened = apply(snapshot, plan(snapshot).changes)
    later = plan(opened, now=NOW + timedelta(days=15))
    assert notes(later)
    green = hostile_book(
        ("segment::enterprise", "stage::adoption"), sentiment={"color": "green", "date": days(0)}
    )
    at_once = with_issues(close_after_green_days=0)
    closing = plan(replace(green, salsatam_issues=opened.salsatam_issues), policy_set=at_once)
    assert closes(closing)
    for text in written_texts(later) + written_texts(closing):
        assert_inert(text)


def test_mention_refuses_names_that_ping_everyone() -> None:
    assert mention("tom.tam") == "@tom.tam"
    assert "@all" not in mention("all")
    assert "@all" not in mention("ALL")


def test_an_issue_about_a_confidential_account_is_confidential() -> None:
    secret = replace(record(name="Umbrella Secret"), confidential=True)
    result = plan(book(secret))
    opened = creates(result)
    assert opened
    assert all(change.confidential for change in opened)


def test_a_hostile_account_name_pings_nobody_from_a_title() -> None:
    hostile = "@all Acme #1 https://gitlab.example.com/customers/acme/-/issues/2"
    result = plan(book(record(name=hostile)))
    titles = [change.title for change in creates(result)]
    assert titles
    for shown in titles:
        assert "@all" not in shown and "#1" not in shown and "https://" not in shown
        assert hostile in shown.replace(ZWSP, "")
