"""Status labels on collaboration issues and the notes economy, over an in-memory GitLab."""

from dataclasses import replace
from datetime import datetime, timedelta

from health_book import ACME, ALICE, BOB, NOW, TAM, at, issue, note, policies, record, snapshot

from triage.changes import AddNote, Change, SetLabels, UpdateDescription
from triage.facts import notes_needed
from triage.kinds import collaboration
from triage.plan import Plan, evaluate
from triage.snapshot import Issue, IssueRef, Snapshot

TEAM, CUSTOMER = "status::awaiting-team", "status::awaiting-customer"


def _apply_to(issue_: Issue, changes: list[Change], when: datetime) -> Issue:
    for change in changes:
        if getattr(change, "issue", None) != issue_.ref:
            continue
        if isinstance(change, SetLabels):
            kept = [x for x in issue_.labels if x not in change.remove]
            labels = tuple(kept + [x for x in change.add if x not in kept])
            if labels != issue_.labels:
                issue_ = replace(issue_, labels=labels, updated_at=when)
        elif isinstance(change, UpdateDescription):
            issue_ = replace(issue_, description=change.description, updated_at=when)
    return issue_


class World:
    """A GitLab holding every note; a run only sees the notes it asks for."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap

    def run(self, now: datetime) -> tuple[Plan, set[IssueRef]]:
        listed = self._without_notes()
        needed = notes_needed(listed, policies(), now)
        full = {i.ref: i for i in self.snap.collaboration_issues[ACME]}
        fetched = replace(
            listed,
            collaboration_issues={
                ACME: tuple(
                    replace(i, notes=full[i.ref].notes) if i.ref in needed else i
                    for i in listed.collaboration_issues[ACME]
                )
            },
        )
        plan = evaluate(fetched, policies(), now, kinds=("health", "collaboration"))
        self.apply(plan.changes, now + timedelta(minutes=1))
        return plan, needed

    def _without_notes(self) -> Snapshot:
        issues = tuple(replace(i, notes=None) for i in self.snap.collaboration_issues[ACME])
        return replace(self.snap, collaboration_issues={ACME: issues})

    def apply(self, changes: list[Change], when: datetime) -> None:
        self.snap = replace(
            self.snap,
            account_issues=tuple(_apply_to(i, changes, when) for i in self.snap.account_issues),
            collaboration_issues={
                ACME: tuple(
                    _apply_to(i, changes, when) for i in self.snap.collaboration_issues[ACME]
                )
            },
        )

    def comment(self, iid: int, author, when: datetime) -> None:  # type: ignore[no-untyped-def]
        def add(i: Issue) -> Issue:
            if i.iid != iid:
                return i
            notes = (*(i.notes or ()), note(author, (NOW - when).total_seconds() / 86400))
            return replace(i, notes=notes, updated_at=when, user_notes_count=i.user_notes_count + 1)

        issues = tuple(add(i) for i in self.snap.collaboration_issues[ACME])
        self.snap = replace(self.snap, collaboration_issues={ACME: issues})

    def labels(self, iid: int) -> tuple[str, ...]:
        return next(i.labels for i in self.snap.collaboration_issues[ACME] if i.iid == iid)


def book() -> World:
    return World(
        snapshot(
            issues=(
                issue(1, ALICE, created=9, notes=(note(TAM, 8), note(ALICE, 6))),
                issue(2, ALICE, created=9, notes=(note(TAM, 8),)),
                issue(3, BOB, created=1),  # no notes at all: nothing to read
                issue(4, TAM, created=30, notes=(note(BOB, 20),), state="closed", closed=10),
            )
        )
    )


def test_first_run_reads_notes_of_open_issues_with_notes_and_sets_every_status() -> None:
    world = book()
    plan, needed = world.run(NOW)
    assert needed == {IssueRef(ACME, 1), IssueRef(ACME, 2)}
    statuses = {
        c.issue.iid: c.add
        for c in plan.changes
        if isinstance(c, SetLabels) and c.issue.project == ACME
    }
    assert statuses == {1: (TEAM,), 2: (CUSTOMER,), 3: (TEAM,)}
    # No status label yet: the plan removes none (the update removes any it finds).
    assert all(
        c.remove == () for c in plan.changes if isinstance(c, SetLabels) and c.issue.project == ACME
    )
    assert world.labels(1) == (TEAM,)


def test_a_rerun_with_nothing_changed_reads_no_notes_and_writes_nothing() -> None:
    world = book()
    world.run(NOW)
    plan, needed = world.run(NOW + timedelta(hours=1))
    assert needed == set()
    assert plan.changes == []


def test_a_new_customer_comment_is_read_once_and_relabels_only_that_issue() -> None:
    world = book()
    world.run(NOW)
    world.comment(2, BOB, NOW + timedelta(hours=2))
    plan, needed = world.run(NOW + timedelta(hours=3))
    assert needed == {IssueRef(ACME, 2)}
    collab = [c for c in plan.changes if isinstance(c, SetLabels) and c.issue.project == ACME]
    assert [(c.issue.iid, c.add, c.remove) for c in collab] == [(2, (TEAM,), (CUSTOMER,))]
    assert any(isinstance(c, UpdateDescription) for c in plan.changes)
    plan, needed = world.run(NOW + timedelta(hours=4))
    assert needed == set()
    assert plan.changes == []


def test_a_staff_reply_flips_the_status_back() -> None:
    world = book()
    world.run(NOW)
    world.comment(1, TAM, NOW + timedelta(hours=2))
    plan, needed = world.run(NOW + timedelta(hours=3))
    assert needed == {IssueRef(ACME, 1)}
    assert world.labels(1) == (CUSTOMER,)
    facts = plan.accounts[0].facts
    assert facts["issues_waiting"] == 1  # issue 3, from its author alone


def test_a_removed_status_label_is_read_again_and_restored() -> None:
    world = book()
    world.run(NOW)
    world.apply(
        [SetLabels(reason="", key="", rule="", issue=IssueRef(ACME, 1), remove=(TEAM,))],
        NOW + timedelta(hours=2),
    )
    _, needed = world.run(NOW + timedelta(hours=3))
    assert needed == {IssueRef(ACME, 1)}
    assert world.labels(1) == (TEAM,)


def test_waits_are_remembered_without_reading_notes() -> None:
    world = book()
    first, _ = world.run(NOW)
    later, needed = world.run(NOW + timedelta(days=1))
    assert needed == set()
    assert first.accounts[0].facts["oldest_wait_since"] == at(6).date()
    assert later.accounts[0].facts["oldest_wait_since"] == at(6).date()
    assert later.accounts[0].facts["customer_participants_90d"] == 2


def test_unknown_status_without_notes_keeps_the_label() -> None:
    # Notes not fetched and no status label: the kind cannot decide, so it writes nothing.
    unread = issue(5, ALICE, created=5, notes=None, notes_count=2, labels=())
    snap = snapshot(issues=(unread,))
    plan = evaluate(snap, policies(), NOW, kinds=())
    from health_book import context

    changes, problems = collaboration.evaluate(context(snap))
    assert changes == [] and problems == []
    assert plan.accounts[0].facts["issues_waiting"] == 0


def test_meeting_issues_get_no_status() -> None:
    from health_book import context

    held = issue(6, TAM, created=3, labels=("meeting",), notes=(note(TAM, 2),))
    asked = issue(7, ALICE, created=3, labels=("meeting", TEAM), notes=(note(TAM, 2),))
    changes, problems = collaboration.evaluate(context(snapshot(issues=(held, asked))))
    assert changes == [] and problems == []


def test_unreachable_projects_are_reported() -> None:
    from health_book import context

    snap = snapshot(issues=(), unreachable={ACME: "404 Project Not Found"})
    changes, problems = collaboration.evaluate(context(snap))
    assert changes == []
    assert [p.message for p in problems] == [
        "collaboration project customers/acme could not be read: 404 Project Not Found"
    ]


def test_the_explanation_note_is_posted_once() -> None:
    world = book()
    first, _ = world.run(NOW)
    second, _ = world.run(NOW + timedelta(hours=1))
    assert len([c for c in first.changes if isinstance(c, AddNote)]) == 1
    assert [c for c in second.changes if isinstance(c, AddNote)] == []


def test_the_record_is_untouched_by_people_edits_outside_the_section() -> None:
    world = book()
    world.run(NOW)
    account = world.snap.account_issues[0]
    assert account.description.startswith(record().description)
