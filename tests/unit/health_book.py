"""In-memory account books for the record, facts, health and collaboration tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import count

from triage.plan import Context, evaluate
from triage.policy.loader import PACKAGED, PolicySet, load_policies
from triage.snapshot import Issue, Label, Note, Project, Snapshot, User

ACCOUNTS = "account-management/accounts"
ACME = "customers/acme"
NOW = datetime(2024, 6, 5, 12, 0, tzinfo=UTC)  # a Wednesday

TAM = User(1, "tina", "Tina TAM")
SA = User(2, "sam", "Sam SA")
ALICE = User(10, "alice", "Alice (customer)")
BOB = User(11, "bob", "Bob (customer)")
BOT = User(20, "alert-bot", "Alerts", bot=True)
STAFF = frozenset({"tina", "sam", "salsatam-bot"})

_ids = count(1000)


@cache
def policies() -> PolicySet:
    return load_policies(PACKAGED / "policies", PACKAGED / "templates")


def at(days_ago: float, now: datetime = NOW) -> datetime:
    return now - timedelta(days=days_ago)


def record_text(**fields: str) -> str:
    base = {
        "arr": "120000",
        "renewal": "2024-12-01",
        "collaboration_project": ACME,
        "priority": "1",
        "team": "{sal: sally, sa: sam, tam: tina}",
        "sentiment": "{color: green, date: 2024-05-20}",
    }
    base.update(fields)
    body = "\n".join(f"{k}: {v}" for k, v in base.items() if v != "-")
    return f"Acme's record.\n\n```yaml\n{body}\n```\n\nNotes by the team.\n"


def record(
    description: str | None = None,
    labels: tuple[str, ...] = ("account", "segment::enterprise", "stage::adoption"),
    iid: int = 1,
    title: str = "Acme",
    updated: datetime = NOW,
) -> Issue:
    return Issue(
        id=next(_ids),
        iid=iid,
        project_id=1,
        project_path=ACCOUNTS,
        title=title,
        description=record_text() if description is None else description,
        state="opened",
        labels=labels,
        author=TAM,
        created_at=at(400),
        updated_at=updated,
    )


def note(author: User, days_ago: float, body: str = "text", **flags: bool) -> Note:
    return Note(next(_ids), author, body, at(days_ago), **flags)


def issue(
    iid: int,
    author: User = ALICE,
    created: float = 20,
    notes: tuple[Note, ...] | None = (),
    labels: tuple[str, ...] = (),
    state: str = "opened",
    updated: datetime | None = None,
    closed: float | None = None,
    due: date | None = None,
    notes_count: int | None = None,
    project: str = ACME,
) -> Issue:
    counted = [n for n in notes or () if not n.system]
    last = max([at(created), *(n.created_at for n in notes or ())])
    return Issue(
        id=next(_ids),
        iid=iid,
        project_id=2,
        project_path=project,
        title=f"Issue {iid}",
        description="",
        state=state,
        labels=labels,
        author=author,
        created_at=at(created),
        updated_at=updated or last,
        closed_at=at(closed) if closed is not None else None,
        due_date=due,
        user_notes_count=len(counted) if notes_count is None else notes_count,
        notes=notes,
    )


def snapshot(
    records: tuple[Issue, ...] = (),
    issues: tuple[Issue, ...] = (),
    unreachable: dict[str, str] | None = None,
    created: float | None = None,
) -> Snapshot:
    """`created`: the collaboration project's age in days (None: unknown)."""
    made = at(created) if created is not None else None
    return Snapshot(
        fetched_at=NOW,
        accounts_project=Project(1, ACCOUNTS),
        staff=STAFF,
        account_issues=records or (record(),),
        projects={ACME: Project(2, ACME, created_at=made)},
        collaboration_issues={ACME: issues},
        unreachable=unreachable or {},
        labels={n: Label(n, s.color) for n, s in policies().labels.labels.items()},
    )


def context(snap: Snapshot, now: datetime = NOW) -> Context:
    plan = evaluate(snap, policies(), now, kinds=())
    return Context(snap, policies(), now, plan.accounts)
