"""The static portfolio page: self-contained, escaped, compared with the previous run."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests import builders
from tests.builders import NOW
from triage import output
from triage.account import Account
from triage.changes import CreateIssue
from triage.health import MeasureResult
from triage.plan import Plan
from triage.records import Record, Team
from triage.report.html import DATA, money, write_report
from triage.report.portfolio_json import load
from triage.snapshot import User

HOSTILE = "<script>alert(1)</script>"


def _account(
    iid: int,
    name: str,
    colour: str | None,
    *reasons: str,
    confidential: bool = False,
    url: str | None = None,
    tam: str = "tina",
) -> Account:
    issue = builders.open_issue(
        iid,
        name,
        "account",
        "stage::adoption",
        "segment::enterprise",
        issue_id=iid,
        author=User(1, "bot"),
        created=NOW - timedelta(days=90),
        updated=NOW,
        web_url=url,
        confidential=confidential,
    )
    score = {"red": 30, "yellow": 60, "green": 90}.get(colour or "")
    record = Record(
        arr=250_000, renewal=date(2027, 2, 1), team=Team(sal="sal", tam=tam), priority=1
    )
    return builders.account(issue, record, builders.health_result(colour, *reasons, score=score))


def _plan(*accounts: Account, changes: tuple[CreateIssue, ...] = ()) -> Plan:
    return builders.plan(*accounts, changes=changes)


def _book() -> Plan:
    return _plan(
        _account(1, "Acme Corp", "red", "a customer has waited 12 business days (red over 10)"),
        _account(2, HOSTILE, "yellow", "single-threaded: 1 engaged contact"),
        _account(3, "Globex", "green", "every measure is green", tam="sam"),
        _account(4, "Umbrella Secret", "red", "open critical escalation", confidential=True),
    )


def test_writes_a_page_and_its_data(tmp_path: Path) -> None:
    page = write_report(_book(), tmp_path / "public")
    assert page == tmp_path / "public" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Acme Corp" in html and "Globex" in html
    assert "a customer has waited 12 business days (red over 10)" in html
    data = json.loads((tmp_path / "public" / DATA).read_text(encoding="utf-8"))
    assert [a["key"] for a in data["accounts"]] == [
        "am/accounts#1",
        "am/accounts#4",
        "am/accounts#2",
        "am/accounts#3",
    ]


def test_a_hostile_account_name_is_text_and_the_page_runs_no_script(tmp_path: Path) -> None:
    html = write_report(_book(), tmp_path).read_text(encoding="utf-8")
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_the_page_loads_nothing_from_anywhere(tmp_path: Path) -> None:
    html = write_report(_book(), tmp_path).read_text(encoding="utf-8")
    assert "<link" not in html and "@import" not in html and "<img" not in html
    assert re.findall(r"\bsrc=", html) == []
    assert "url(" not in html
    assert "default-src 'none'" in html  # and the browser is told so
    assert html.count("<svg") == 3  # the charts are inline


def test_confidential_accounts_are_shown_by_reference_only(tmp_path: Path) -> None:
    write_report(_book(), tmp_path)
    everything = (tmp_path / "index.html").read_text() + (tmp_path / DATA).read_text()
    assert "Umbrella" not in everything
    assert "confidential account am/accounts#4" in everything


def test_only_web_urls_become_links(tmp_path: Path) -> None:
    plan = _plan(_account(1, "Sneaky", "green", url="javascript:alert(1)"))
    html = write_report(plan, tmp_path).read_text(encoding="utf-8")
    assert "javascript:" not in html
    assert "Sneaky" in html


def test_the_next_run_compares_with_the_report_already_there(tmp_path: Path) -> None:
    write_report(_plan(_account(1, "Acme", "green"), _account(2, "Globex", "green")), tmp_path)
    later = _plan(
        _account(1, "Acme", "red", "open critical escalation"), _account(2, "Globex", "green")
    )
    html = write_report(later, tmp_path).read_text(encoding="utf-8")
    assert "compared with the report of 2026-11-02 09:00 UTC" in html
    assert "▼ was green" in html
    portfolio = load(json.loads((tmp_path / DATA).read_text()))
    assert portfolio.distribution.previous == {"red": 0, "yellow": 0, "green": 2, "none": 0}
    assert portfolio.distribution.delta("red") == 1


def test_an_explicit_previous_report_wins(tmp_path: Path) -> None:
    write_report(_plan(_account(1, "Acme", "yellow")), tmp_path / "last-week")
    html = write_report(
        _plan(_account(1, "Acme", "green")),
        tmp_path / "now",
        previous=tmp_path / "last-week" / DATA,
    ).read_text(encoding="utf-8")
    assert "▲ was yellow" in html


@pytest.mark.parametrize("content", ["{not json", '{"format": "something-else"}', "[]"])
def test_an_unreadable_previous_report_is_ignored_with_a_warning(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The warning is salsatam's: on stderr, in the debug log, and redacted in both.
    secret = "glpat-in-a-folder-name"
    folder = tmp_path / secret
    folder.mkdir()
    (folder / DATA).write_text(content)
    output.set_secrets(secret)
    log = output.setup_logging(verbose=False)
    try:
        html = write_report(_book(), folder).read_text(encoding="utf-8")
    finally:
        logging.shutdown()
        output.set_secrets()
    assert "no earlier report to compare with" in html
    shown = f"ignoring the previous report {tmp_path / '[REDACTED]' / DATA}"
    stderr = capsys.readouterr().err
    assert shown in stderr and secret not in stderr
    text = log.read_text(encoding="utf-8")
    assert shown in text and secret not in text


def test_the_report_json_round_trips_to_the_same_page(tmp_path: Path) -> None:
    write_report(_book(), tmp_path)
    data = json.loads((tmp_path / DATA).read_text())
    from triage.report.html import render_page

    assert render_page(load(data)) == (tmp_path / "index.html").read_text(encoding="utf-8")


def test_issues_the_plan_opens_are_listed(tmp_path: Path) -> None:
    acme = _account(1, "Acme Corp", "red")
    handoff = CreateIssue(
        reason="technical win reached",
        key="handoff:1",
        rule="handoff",
        project="am/accounts",
        title="Handoff: Acme Corp",
        description="",
        due_date=date(2026, 11, 9),
        link_to=acme.issue.ref,
    )
    html = write_report(_plan(acme, changes=(handoff,)), tmp_path).read_text(encoding="utf-8")
    assert "Handoff: Acme Corp" in html and "technical win reached" in html


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "—"), (950.0, "950"), (95_000.0, "95k"), (1_000_000.0, "1M"), (1_250_000.0, "1.25M")],
)
def test_money_is_short(value: float | None, shown: str) -> None:
    assert money(value) == shown


def test_an_issue_about_a_confidential_account_never_names_it(tmp_path: Path) -> None:
    secret = _account(4, "Umbrella Secret", "red", confidential=True)
    handoff = CreateIssue(
        reason="Umbrella Secret: ready for its TAM (stage technical-win)",
        key="handoff:4",
        rule="handoff",
        project="am/accounts",
        title="Account handoff: Umbrella Secret",
        description="",
        due_date=date(2026, 11, 9),
        confidential=True,
        link_to=secret.issue.ref,
    )
    write_report(_plan(secret, changes=(handoff,)), tmp_path)
    everything = (tmp_path / "index.html").read_text() + (tmp_path / DATA).read_text()
    assert "Umbrella" not in everything
    (action,) = json.loads((tmp_path / DATA).read_text())["actions"]
    assert action["account"] == "confidential account am/accounts#4"
    # the account has a column of its own: the reason doesn't start with its name again
    assert action["reason"] == "ready for its TAM (stage technical-win)"


def _text(html: str) -> str:
    """The page's text, tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_an_override_and_what_to_watch_are_told_apart(tmp_path: Path) -> None:
    waiting = MeasureResult("waiting", 12, "2 customer issues waiting", "red", "", 1.0, "over 5")
    lumen = _account(1, "Lumen Pharma", "red")
    assert lumen.health is not None
    forced = replace(
        lumen.health,
        score=86,
        measures=(waiting,),
        overrides=("a customer has waited 11 business days (red over 10)",),
    )
    falcon = _account(2, "Falcon Defense", "green")
    assert falcon.health is not None
    green = replace(falcon.health, score=76, measures=(waiting,))
    plan = _plan(replace(lumen, health=forced), replace(falcon, health=green))
    text = _text(write_report(plan, tmp_path).read_text(encoding="utf-8"))
    assert "score 86, overridden" in text
    assert "red: override — a customer has waited 11 business days (red over 10)" in text
    assert "score 76 " in text and "score 76, overridden" not in text
    assert text.count("watch: 2 customer issues waiting (red over 5)") == 2


def test_agendas_and_unreadable_records_are_listed_apart(tmp_path: Path) -> None:
    broken = replace(_account(1, "Willow Education", None), record=None, record_problems=("bad",))
    agenda = CreateIssue(
        reason="Enterprise East meets Tuesday",
        key="agenda:east",
        rule="agenda.open",
        project="am/accounts",
        title="Account-team meeting: Enterprise East",
        description="",
        due_date=date(2026, 11, 3),
    )
    plan = _plan(broken, _account(2, "Acme Corp", "green"), changes=(agenda,))
    html = write_report(plan, tmp_path).read_text(encoding="utf-8")
    actions = html[html.index('id="actions"') :]
    assert "No handoff, engagement, reminder or triage issue open or to open." in actions
    assert "Account-team meeting agendas" in actions
    assert "Account-team meeting: Enterprise East" in actions
    workload = _text(html[html.index('id="workload"') : html.index('id="actions"')])
    assert "no TAM" not in workload
    assert "Not counted, as their records can't be read: Willow Education." in (workload)


def test_open_issues_show_their_owner_and_whether_they_are_overdue(tmp_path: Path) -> None:
    acme = _account(1, "Acme Corp", "green")
    late = replace(
        acme.issue,
        iid=40,
        title="Hand over to the TAM",
        labels=("salsatam",),
        description="<!-- salsatam:key=sa-after-sale:1 -->",
        assignees=(User(5, "tina"),),
        due_date=date(2026, 10, 20),
        web_url="https://gitlab.example.com/am/accounts/-/issues/40",
    )
    waiting = replace(
        acme.issue,
        iid=8,
        project_path="c/a",
        title="Runner down",
        labels=("status::awaiting-team",),
    )
    acme = replace(acme, collaboration_issues=(waiting,), waits={waiting.ref: 22})
    plan = replace(_plan(acme), salsatam_issues=(late,))
    html = write_report(plan, tmp_path).read_text(encoding="utf-8")
    actions = html[html.index('id="actions"') :]
    row = actions[actions.index('<tr class="overdue">') :]
    row = row[: row.index("</tr>")]
    assert "overdue" in row and "Hand over to the TAM" in row and "<td>tina</td>" in row
    assert "Business days waiting" in actions and '<td class="num">22</td>' in actions
