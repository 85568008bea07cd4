from dataclasses import replace

from health_book import ALICE, NOW, TAM, context, issue, note, record, record_text, snapshot

from tests import builders
from triage.changes import AddNote, SetLabels, UpdateDescription
from triage.facts.measures import MeasureResult
from triage.gitlab.updates import issue_updates
from triage.health import HealthResult
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


def _measure(name: str, display: str, colour: str | None) -> MeasureResult:
    return MeasureResult(name, None, display, colour, "", 1.0)


def _health(colour: str, score: int, *measures: MeasureResult) -> HealthResult:
    return builders.health_result(colour, "every measure", score=score, measures=measures)


WAIT = _measure("waiting", "1 customer issue waiting 7 business days", "yellow")
PEOPLE = _measure("participants", "1 customer participant in 90 days", "yellow")
MEETING = _measure("last_meeting", "last meeting 71 days ago", "red")
SENTIMENT = _measure("sentiment", "TAM sentiment green (2024-05-20)", "green")


def test_a_green_reason_gives_the_score_and_the_measures_to_watch() -> None:
    assert health.headline(_health("green", 100, SENTIMENT)) == "score 100"
    assert health.headline(_health("green", 80, SENTIMENT, WAIT)) == (
        "score 80; watch: 1 customer issue waiting 7 business days"
    )


def test_a_yellow_or_red_reason_lists_the_red_measures_first() -> None:
    for colour in ("yellow", "red"):
        assert health.headline(_health(colour, 60, PEOPLE, SENTIMENT, MEETING)) == (
            "last meeting 71 days ago; 1 customer participant in 90 days"
        )
    assert health.headline(_health("yellow", 65, SENTIMENT)) == "score 65"


def test_first_evaluation_sets_the_label_explains_and_writes_the_section() -> None:
    changes, problems = run(record(RED_RECORD))
    labels, notes, sections = (
        [c for c in changes if isinstance(c, kind)]
        for kind in (SetLabels, AddNote, UpdateDescription)
    )
    # The record carries no colour yet: nothing to remove, so the plan names none.
    assert [(c.add, c.remove) for c in labels] == [(("health::red",), ())]
    planned = labels[0].describe(dry_run=True)
    assert planned.startswith("would set ~health::red on account-management/accounts#1: ")
    assert labels[0].reason == (
        "health set to red: 2 customer issues waiting 5 and 12 business days for a reply; "
        "1 customer participant in 90 days; TAM sentiment yellow (2024-05-20)"
    )
    assert len(notes) == 1
    assert (
        find_key(notes[0].body)
        == notes[0].key
        == "health:account-management/accounts#1:red:2024-06-05"
    )
    assert (
        "| Waiting for the team | 2 customer issues waiting 5 and 12 business days "
        "for a reply | red |" in notes[0].body
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


def test_only_colours_the_record_carries_are_removed_and_the_request_removes_them() -> None:
    # Two colours (GitLab Free kept both): both go; the third was never there.
    both = ("account", "segment::enterprise", "stage::adoption", "health::green", "health::yellow")
    changes, _ = run(record(RED_RECORD, labels=both))
    [label] = [c for c in changes if isinstance(c, SetLabels)]
    assert (label.add, label.remove) == (("health::red",), ("health::green", "health::yellow"))
    assert label.describe(dry_run=True).startswith(
        "would set ~health::red -~health::green -~health::yellow on "
    )
    assert issue_updates([label])[label.issue].payload(both) == {
        "add_labels": "health::red",
        "remove_labels": "health::green,health::yellow",
    }
    # The right colour with a stale second one: only the stale one goes.
    kept = ("account", "segment::enterprise", "stage::adoption", "health::red", "health::green")
    [fix] = [c for c in run(record(RED_RECORD, labels=kept))[0] if isinstance(c, SetLabels)]
    assert (fix.add, fix.remove) == (("health::red",), ("health::green",))


def test_nothing_changes_on_a_rerun() -> None:
    after = applied(record(RED_RECORD))
    assert run(after) == ([], [])


def test_a_colour_change_notes_the_previous_colour_and_since_when() -> None:
    after = applied(record(RED_RECORD))
    calmer = (issue(3, TAM, created=5, labels=("meeting",)),)
    changes, _ = run(after, calmer)
    label = next(c for c in changes if isinstance(c, SetLabels))
    assert (label.add, label.remove) == (("health::green",), ("health::red",))
    assert label.reason.startswith("health red → green: ")
    text = next(c for c in changes if isinstance(c, AddNote)).body
    assert "**Health red → green** (score" in text and "It was red since 2024-06-05." in text
    section = parse_section(
        next(c for c in changes if isinstance(c, UpdateDescription)).description
    )
    assert section is not None and (section.colour, section.previous) == ("green", "red")


def test_each_real_change_gets_its_note_even_twice_in_a_day() -> None:
    red = applied(record(RED_RECORD))
    calmer = (issue(3, TAM, created=5, labels=("meeting",)),)
    green = applied(red, calmer)
    changes, _ = run(green)  # red again, the same day
    notes = [c for c in changes if isinstance(c, AddNote)]
    first, _ = run(record(RED_RECORD))
    first_red = next(c for c in first if isinstance(c, AddNote))
    assert len(notes) == 1 and notes[0].key != first_red.key
    assert notes[0].key.endswith(":red:2024-06-05:from:green:2024-06-05")
    assert "It was green since 2024-06-05." in notes[0].body
    assert run(applied(green)) == ([], [])  # and a rerun repeats nothing


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


def test_the_invalid_note_says_the_health_stays_as_it_was() -> None:
    bad = record("```yaml\narr: lots\n```", labels=("account", "health::red"))
    changes, _ = records.evaluate(context(snapshot((bad,))))
    body = next(c for c in changes if isinstance(c, AddNote)).body
    assert "its health stays as it was (`health::red`) until the record is fixed" in body
    assert health.evaluate(context(snapshot((bad,)))) == ([], [])


def test_writes_into_a_confidential_record_are_marked_so_reports_hide_them() -> None:
    secret = replace(record(RED_RECORD), confidential=True)
    changes, _ = run(secret)
    written = [c for c in changes if isinstance(c, AddNote | UpdateDescription)]
    assert len(written) == 2 and all(c.confidential for c in written)
    assert not any(getattr(c, "confidential", False) for c in run(record(RED_RECORD))[0])
    bad = replace(record("```yaml\narr: lots\n```"), confidential=True)
    flagged, _ = records.evaluate(context(snapshot((bad,))))
    assert [c.confidential for c in flagged if isinstance(c, AddNote)] == [True]


def test_an_unreachable_collaboration_project_leaves_the_health_as_it_was() -> None:
    red = applied(record(RED_RECORD))  # red, with its section and memory
    assert "health::red" in red.labels
    wrong = RED_RECORD.replace("customers/acme", "customers/does-not-exist")
    moved = replace(red, description=red.description.replace(RED_RECORD, wrong))
    ctx = context(snapshot((moved,), WAITING))
    account = ctx.accounts[0]
    assert account.health is not None and account.health.colour is None
    assert account.facts["health"] is None  # nothing decides on a colour this run
    changes, problems = health.evaluate(ctx)
    assert [type(c) for c in changes] == [UpdateDescription]  # no label, no note
    assert changes[0].reason.startswith("health unchanged: the collaboration project")
    section = current_text(changes[0].description) or ""
    assert "#### Health: unchanged" in section
    assert "customers/does-not-exist can't be read" in section
    assert "(red since 2024-06-05)" in section
    memory = parse_section(changes[0].description)
    assert memory is not None and (memory.colour, memory.project) == ("red", "customers/acme")
    assert [(p.rule, p.message) for p in problems] == [
        (
            "health.collaboration",
            "the collaboration project customers/does-not-exist can't be read "
            "(missing, or no access): health left as it was, no colour computed",
        )
    ]
    # Rerun: nothing more to write. Path fixed: judged again, no new colour note.
    again = replace(moved, description=changes[0].description)
    assert health.evaluate(context(snapshot((again,), WAITING)))[0] == []
    fixed = replace(again, description=again.description.replace(wrong, RED_RECORD))
    back, _ = health.evaluate(context(snapshot((fixed,), WAITING)))
    assert [c for c in back if isinstance(c, AddNote | SetLabels)] == []


def test_a_record_without_collaboration_project_says_what_health_is_from() -> None:
    prospect = record(record_text(collaboration_project="-"))
    changes, problems = run(prospect, ())
    section = current_text(next(c for c in changes if isinstance(c, UpdateDescription)).description)
    assert section is not None and "#### Health: green (score 100)" in section
    assert "No collaboration project in the record: health from TAM sentiment only." in section
    assert problems == []
    nothing = record(record_text(collaboration_project="-", sentiment="-"))
    changes, problems = run(nothing, ())
    section = current_text(next(c for c in changes if isinstance(c, UpdateDescription)).description)
    assert section is not None and "#### Health: no colour yet" in section
    assert "Unknown" not in section and "score none" not in section
    why = "no collaboration project in the record, and no current TAM sentiment"
    assert f"Nothing to judge by: {why}." in section
    assert [p.message for p in problems] == [f"no colour yet, nothing to judge by: {why}"]
