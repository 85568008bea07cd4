"""Labels as issues use them: lookup by name, auto-creation, scoped-label exclusivity."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from triage.sandbox.access import ancestor_ids
from triage.sandbox.store import Row, Store

AUTO_LABEL_COLOR = "#6699cc"
PAID_TIERS = frozenset({"premium", "ultimate"})


def scope_of(name: str) -> str | None:
    """`health` for `health::red`; the key is everything before the last `::`."""
    return name.rsplit("::", 1)[0] if "::" in name else None


def available_labels(store: Store, project: Row) -> list[Row]:
    """The project's labels and those of its ancestor groups."""
    groups = ancestor_ids(store, int(project["namespace_id"]))
    marks = ",".join("?" for _ in groups)
    return store.all(
        f"SELECT * FROM labels WHERE project_id = ? OR group_id IN ({marks}) ORDER BY name, id",
        [project["id"], *groups],
    )


def group_labels(store: Store, group_id: int, *, ancestors: bool) -> list[Row]:
    groups = ancestor_ids(store, group_id) if ancestors else [group_id]
    marks = ",".join("?" for _ in groups)
    return store.all(f"SELECT * FROM labels WHERE group_id IN ({marks}) ORDER BY name, id", groups)


def find_label(store: Store, project: Row, name: str) -> Row | None:
    """Project labels shadow group labels of the same name."""
    candidates = [label for label in available_labels(store, project) if label["name"] == name]
    candidates.sort(key=lambda label: label["project_id"] is None)
    return candidates[0] if candidates else None


def create_project_label(
    store: Store,
    project: Row,
    name: str,
    color: str = AUTO_LABEL_COLOR,
    description: str | None = None,
    priority: int | None = None,
) -> Row:
    label_id = store.insert(
        "labels",
        {
            "project_id": project["id"],
            "name": name,
            "color": color,
            "description": description,
            "priority": priority,
            "created_at": store.now_text(),
        },
    )
    created = store.one("SELECT * FROM labels WHERE id = ?", [label_id])
    assert created is not None
    return created


def resolve(store: Store, project: Row, names: Iterable[str], *, create: bool) -> list[Row]:
    """Labels for the given names, in order; unknown names are created or dropped."""
    found: list[Row] = []
    for name in names:
        label = find_label(store, project, name)
        if label is None and create:
            label = create_project_label(store, project, name)
        if label is not None and all(label["id"] != seen["id"] for seen in found):
            found.append(label)
    return found


def exclusive(labels: Sequence[Row], tier: str) -> list[Row]:
    """On paid tiers, one label per scope survives: the one given last."""
    if tier not in PAID_TIERS:
        return list(labels)
    last_in_scope: dict[str, int] = {}
    for label in labels:
        scope = scope_of(str(label["name"]))
        if scope is not None:
            last_in_scope[scope] = int(label["id"])
    return [
        label
        for label in labels
        if scope_of(str(label["name"])) is None
        or last_in_scope[str(scope_of(str(label["name"])))] == label["id"]
    ]


def issue_label_rows(store: Store, issue_id: int) -> list[Row]:
    return store.all(
        "SELECT l.* FROM issue_labels il JOIN labels l ON l.id = il.label_id "
        "WHERE il.issue_id = ? ORDER BY il.rowid",
        [issue_id],
    )


def set_issue_labels(
    store: Store, issue_id: int, user_id: int, labels: Sequence[Row], at: str
) -> bool:
    """Replace an issue's labels, recording one resource label event per change."""
    before = {int(label["id"]): label for label in issue_label_rows(store, issue_id)}
    after = {int(label["id"]): label for label in labels}
    removed = [label_id for label_id in before if label_id not in after]
    added = [label_id for label_id in after if label_id not in before]
    for label_id in removed:
        store.run(
            "DELETE FROM issue_labels WHERE issue_id = ? AND label_id = ?", [issue_id, label_id]
        )
    for label_id in added:
        store.insert("issue_labels", {"issue_id": issue_id, "label_id": label_id})
    for action, ids in (("add", added), ("remove", removed)):
        for label_id in ids:
            store.insert(
                "label_events",
                {
                    "issue_id": issue_id,
                    "user_id": user_id,
                    "label_id": label_id,
                    "action": action,
                    "created_at": at,
                },
            )
    return bool(added or removed)
