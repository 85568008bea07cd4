from triage.changes import AddNote, CloseIssue, SetLabels, UpdateDescription
from triage.gitlab.updates import issue_updates, scope_of
from triage.snapshot import IssueRef

ACME = IssueRef("account-management/accounts", 1)
GLOBEX = IssueRef("account-management/accounts", 2)


def labels(issue: IssueRef, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> SetLabels:
    return SetLabels(
        reason="r", key=f"k{issue.iid}", rule="health", issue=issue, add=add, remove=remove
    )


def test_scope_is_everything_before_the_last_separator() -> None:
    assert scope_of("health::red") == "health"
    assert scope_of("a::b::c") == "a::b"
    assert scope_of("account") is None


def test_labels_description_and_close_of_one_issue_make_one_update() -> None:
    changes = [
        labels(ACME, add=("health::red",)),
        AddNote(reason="r", key="n", rule="health", issue=ACME, body="hi"),
        UpdateDescription(reason="r", key="d", rule="health", issue=ACME, description="new"),
        labels(GLOBEX, add=("tam::qualifying",)),
        CloseIssue(reason="r", key="c", rule="issues", issue=ACME),
    ]
    updates = issue_updates(changes)
    assert list(updates) == [ACME, GLOBEX]
    assert len(updates[ACME].changes) == 3
    assert updates[ACME].payload(["account", "health::yellow"]) == {
        "add_labels": "health::red",
        "remove_labels": "health::yellow",
        "description": "new",
        "state_event": "close",
    }


def test_later_label_changes_win_and_removals_are_always_sent() -> None:
    updates = issue_updates([labels(ACME, add=("a", "b")), labels(ACME, remove=("a",), add=("c",))])
    assert updates[ACME].payload() == {"add_labels": "b,c", "remove_labels": "a"}
    only_add = issue_updates([labels(GLOBEX, add=("x",))])
    assert only_add[GLOBEX].payload() == {"add_labels": "x", "remove_labels": ""}


def test_adding_a_scoped_label_removes_its_siblings_but_not_other_scopes() -> None:
    update = issue_updates([labels(ACME, add=("status::awaiting-team",))])[ACME]
    current = ["status::awaiting-customer", "status::x::y", "stage::pov", "status::awaiting-team"]
    assert update.payload(current)["remove_labels"] == "status::awaiting-customer"


def test_description_only_update_sends_no_labels() -> None:
    change = UpdateDescription(reason="r", key="d", rule="r", issue=ACME, description="x")
    assert issue_updates([change])[ACME].payload(["health::red"]) == {"description": "x"}
