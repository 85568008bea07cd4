from dataclasses import replace

from health_book import ALICE, NOW, TAM, context, issue, note, record, record_text, snapshot

from triage.changes import AddNote, SetLabels, UpdateDescription
from triage.kinds import health, records
from triage.section import current_text, parse_section
from triage.snapshot import find_key

RED_RECORD = record_text(sentiment="{color: yellow, date: 2024-05-20}")
WAITING = (
    issue(1, ALICE, created=9, notes=(note(TAM, 8), note(ALICE, 7))),
    issue(2, ALICE, created=16),  # 2024-05-20: 12 business days, red whatever the score
    issue(3, TAM, created=5, labels=("meeting",)),
)


def run(account_issue, issues=WAITING):  # type: ignore[no-untyped-def]
    return health.evaluate(context(snapshot((account_issue,), issues)))


def test_first_evaluation_sets_the_label_explains_and_writes_the_section() -> None:
    changes, problems = run(record(RED_RECORD))
    labels, notes, sections = (
        [c for c in changes if isinstance(c, kind)]
        for kind in (SetLabels, AddNote, UpdateDescription)
    )
    assert [(c.add, c.remove) for c in labels] == [
        (("health::red",), ("health::green", "health::yellow"))
    ]
    assert labels[0].reason == (
        "health set to red: 2 customer issues waiting 5 and 12 business days for a reply"
    )
    assert len(notes) == 1
    assert (
        find_key(notes[0].body)
        == notes[0].key
        == "health:account-management/accounts#1:red:2024-06-05"
    )
    assert (
        "| Waiting for the team | 2 customer issues waiting 5 and 12 business days "
        "for a reply | red |"
        in notes[0].body
    )
    assert len(sections) == 1
    assert sections[0].description.startswith(RED_RECORD)
    assert problems == []


def applied(account_issue, issues=WAITING, created=None):  # type: ignore[no-untyped-def]
    """The record as GitLab holds it after the health changes were applied."""
    changes, _ = health.evaluate(context(snapshot((account_issue,), issues, created=created)))
    for change in changes:
        if isinstance(change, UpdateDescription):
            account_issue = replace(account_issue, description=change.description)
        if isinstance(change, SetLabels):
            kept = [x for x in account_issue.labels if x not in change.remove]
            account_issue = replace(account_issue, labels=(*kept, *change.add))
    return account_issue


def test_nothing_changes_on_a_rerun() -> None:
    after = applied(record(RED_RECORD))
    assert run(after) == ([], [])


def test_a_colour_change_notes_the_previous_colour_and_since_when() -> None:
    after = applied(record(RED_RECORD))
    calmer = (issue(3, TAM, created=5, labels=("meeting",)),)
    changes, _ = run(after, calmer)
    label = next(c for c in changes if isinstance(c, SetLabels))
    assert label.add == ("health::green",)
    assert label.reason.startswith("health red → green: ")
    text = next(c for c in changes if isinstance(c, AddNote)).body
    assert "**Health red → green** (score" in text and "It was red before." in text
    section = parse_section(
        next(c for c in changes if isinstance(c, UpdateDescription)).description
    )
    assert section is not None and (section.colour, section.previous) == ("green", "red")


def test_pinned_health_keeps_the_label_and_reports_the_computed_colour() -> None:
    pinned = record(
        RED_RECORD, labels=("account", "stage::adoption", "health::green", "health-pinned")
    )
    changes, problems = run(pinned)
    assert [c for c in changes if isinstance(c, SetLabels)] == []
    assert (
        "pinned the label (`health-pinned`) at green"
        in next(c for c in changes if isinstance(c, AddNote)).body
    )
    assert [p.message for p in problems] == ["health pinned at green; computed red"]


def test_a_stale_sentiment_is_reported() -> None:
    stale = record(record_text(sentiment="{color: red, date: 2024-01-02}"))
    _, problems = run(stale, ())
    assert [p.rule for p in problems] == ["health.sentiment"]
    assert "is stale (older than 90 days)" in problems[0].message


def test_the_section_holds_dates_not_ages() -> None:
    after = applied(record(RED_RECORD))
    section = current_text(after.description) or ""
    assert "the oldest since 2024-05-20" in section
    assert "business days for a reply" not in section
    # A day later the ages moved but the dates did not: nothing to write.
    later = context(snapshot((after,), WAITING), now=NOW.replace(day=6))
    changes, _ = health.evaluate(later)
    assert [c for c in changes if isinstance(c, UpdateDescription)] == []


def test_an_invalid_record_gets_the_label_and_one_note() -> None:
    bad = record("```yaml\narr: lots\n```")
    changes, problems = records.evaluate(context(snapshot((bad,))))
    assert [type(c).__name__ for c in changes] == ["SetLabels", "AddNote"]
    label, text = changes
    assert isinstance(label, SetLabels) and label.add == ("record::invalid",)
    assert isinstance(text, AddNote) and find_key(text.body) == text.key
    assert "line 1 of the record block: 'arr' must be a number, got 'lots'" in text.body
    assert [p.message for p in problems] == [
        "line 1 of the record block: 'arr' must be a number, got 'lots'"
    ]
    assert health.evaluate(context(snapshot((bad,)))) == ([], [])


def test_a_flagged_record_is_not_noted_again_and_loses_the_label_when_fixed() -> None:
    flagged = record("```yaml\narr: lots\n```", labels=("account", "record::invalid"))
    changes, problems = records.evaluate(context(snapshot((flagged,))))
    assert changes == [] and len(problems) == 1
    fixed = replace(flagged, description=record_text())
    changes, problems = records.evaluate(context(snapshot((fixed,))))
    assert [(type(c).__name__, getattr(c, "remove", ())) for c in changes] == [
        ("SetLabels", ("record::invalid",))
    ]
    assert problems == []


def test_the_invalid_note_keeps_record_text_inert() -> None:
    bad = record("```yaml\narr: '/close @all'\n```")
    changes, _ = records.evaluate(context(snapshot((bad,))))
    body = next(c for c in changes if isinstance(c, AddNote)).body
    assert "@all" not in body and "\n/close" not in body


def test_no_meeting_in_the_window_is_shown_without_a_moving_date() -> None:
    quiet = (issue(1, ALICE, created=9, notes=(note(TAM, 8),)),)  # no meeting read
    account = record(RED_RECORD)
    after = applied(account, quiet, created=400)
    section = current_text(after.description) or ""
    assert "| Last meeting | no meeting in the last 120 days | red |" in section
    # Days later nothing new happened: the section, the label and the note stay as they are.
    later = context(snapshot((after,), quiet, created=400), now=NOW.replace(day=12))
    assert health.evaluate(later) == ([], [])
