"""GitLab's issue list filters and ordering, as one SQL query."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from triage.sandbox.access import REPORTER, project_level
from triage.sandbox.context import Call
from triage.sandbox.errors import ApiError
from triage.sandbox.params import Params
from triage.sandbox.store import Row, format_time

ORDER_COLUMNS = {
    "created_at": "i.created_at",
    "updated_at": "i.updated_at",
    "due_date": "i.due_date",
    "title": "i.title",
    "relative_position": "i.id",
    "popularity": "i.id",
    "priority": "i.id",
    "label_priority": "i.id",
    "milestone_due": "i.id",
    "weight": "i.id",
}
_HAS_LABEL = (
    "EXISTS (SELECT 1 FROM issue_labels il JOIN labels l ON l.id = il.label_id "
    "WHERE il.issue_id = i.id AND l.name = ?)"
)
_ANY_LABEL = "EXISTS (SELECT 1 FROM issue_labels il WHERE il.issue_id = i.id)"
_ASSIGNED = "EXISTS (SELECT 1 FROM issue_assignees a WHERE a.issue_id = i.id AND a.user_id = {})"
_ANY_ASSIGNEE = "EXISTS (SELECT 1 FROM issue_assignees a WHERE a.issue_id = i.id)"


@dataclass
class IssueQuery:
    """WHERE clauses and their parameters, built filter by filter."""

    clauses: list[str] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)

    def add(self, clause: str, *values: Any) -> None:
        self.clauses.append(clause)
        self.values.extend(values)

    def where(self) -> str:
        return " AND ".join(self.clauses) or "1 = 1"


def _in(values: list[Any]) -> str:
    return ",".join("?" for _ in values) or "NULL"


def build(call: Call, projects: list[Row]) -> IssueQuery:
    params = call.params
    query = IssueQuery()
    ids = [project["id"] for project in projects]
    query.add(f"i.project_id IN ({_in(ids)})", *ids)
    _confidentiality(call, projects, query)
    _state(params, query)
    _labels(params.names("labels"), query, negate=False)
    negated = params.negated()
    _labels(negated.names("labels"), query, negate=True)
    _people(call, params, query, negate=False)
    _people(call, negated, query, negate=True)
    _text_and_dates(params, query)
    iids = params.integers("iids")
    if iids:
        query.add(f"i.iid IN ({_in(iids)})", *iids)
    not_iids = negated.integers("iids")
    if not_iids:
        query.add(f"i.iid NOT IN ({_in(not_iids)})", *not_iids)
    confidential = params.boolean("confidential")
    if confidential is not None:
        query.add("i.confidential = ?", int(confidential))
    if str(params.text("milestone") or "").lower() == "any":
        query.add("0 = 1")
    return query


def _confidentiality(call: Call, projects: list[Row], query: IssueQuery) -> None:
    if call.actor.is_admin:
        return
    hidden = [p["id"] for p in projects if project_level(call.store, call.actor, p) < REPORTER]
    if not hidden:
        return
    user_id = call.actor.user["id"] if call.actor.user else -1
    query.add(
        f"(i.confidential = 0 OR i.project_id NOT IN ({_in(hidden)}) OR i.author_id = ? OR "
        f"{_ASSIGNED.format('?')})",
        *hidden,
        user_id,
        user_id,
    )


def _state(params: Params, query: IssueQuery) -> None:
    state = params.text("state") or "all"
    if state in ("opened", "closed"):
        query.add("i.state = ?", state)
    elif state != "all":
        raise ApiError(400, {"error": "state does not have a valid value"})


def _labels(names: list[str] | None, query: IssueQuery, *, negate: bool) -> None:
    for name in names or []:
        if name.lower() == "none":
            query.add(_ANY_LABEL if negate else f"NOT {_ANY_LABEL}")
        elif name.lower() == "any":
            query.add(f"NOT {_ANY_LABEL}" if negate else _ANY_LABEL)
        else:
            query.add(f"NOT {_HAS_LABEL}" if negate else _HAS_LABEL, name)


def _user_ids(call: Call, usernames: list[str]) -> list[int]:
    rows = call.store.all(f"SELECT id FROM users WHERE username IN ({_in(usernames)})", usernames)
    return [int(row["id"]) for row in rows] or [-1]


def _people(call: Call, params: Params, query: IssueQuery, *, negate: bool) -> None:
    prefix = "NOT " if negate else ""
    authors = params.names("author_username")
    if authors:
        ids = _user_ids(call, authors)
        query.add(f"{prefix}i.author_id IN ({_in(ids)})", *ids)
    author_id = params.integer("author_id")
    if author_id is not None:
        query.add(f"{prefix}i.author_id = ?", author_id)
    for username in params.names("assignee_username") or []:
        query.add(prefix + _ASSIGNED.format("?"), _user_ids(call, [username])[0])
    assignee = params.text("assignee_id")
    if assignee is None or assignee == "":
        return
    if assignee.lower() == "none":
        query.add(_ANY_ASSIGNEE if negate else f"NOT {_ANY_ASSIGNEE}")
    elif assignee.lower() == "any":
        query.add(f"NOT {_ANY_ASSIGNEE}" if negate else _ANY_ASSIGNEE)
    else:
        query.add(prefix + _ASSIGNED.format("?"), params.integer("assignee_id"))


def _text_and_dates(params: Params, query: IssueQuery) -> None:
    search = params.text("search")
    if search:
        fields = params.names("in") or ["title", "description"]
        columns = [
            f"LOWER(COALESCE(i.{name}, '')) LIKE ? ESCAPE '\\'"
            for name in ("title", "description")
            if name in fields
        ]
        pattern = (
            "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        if columns:
            query.add("(" + " OR ".join(columns) + ")", *[pattern] * len(columns))
    for name, column, operator in (
        ("created_after", "created_at", ">="),
        ("created_before", "created_at", "<="),
        ("updated_after", "updated_at", ">="),
        ("updated_before", "updated_at", "<="),
    ):
        moment = params.moment(name)
        if moment is not None:
            query.add(f"i.{column} {operator} ?", format_time(moment))


def order_by(params: Params) -> str:
    key = params.text("order_by") or "created_at"
    if key not in ORDER_COLUMNS:
        raise ApiError(400, {"error": "order_by does not have a valid value"})
    direction = "DESC" if params.descending() else "ASC"
    column = ORDER_COLUMNS[key]
    if key == "due_date":
        # GitLab: nulls last in both directions, ties newest first (with_order_id_desc).
        return f"i.due_date IS NULL, i.due_date {direction}, i.id DESC"
    return f"{column} {direction}, i.id {direction}"
