"""Group and project members: direct (`/members`) and inherited (`/members/all`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response

from triage.sandbox.access import (
    ACCESS_LEVELS,
    MAINTAINER,
    OWNER,
    ancestor_ids,
    find_group,
    find_project,
    group_level,
    project_level,
)
from triage.sandbox.context import Call, call, page_params, paginated, reply
from triage.sandbox.errors import ApiError, forbidden
from triage.sandbox.pagination import page_of
from triage.sandbox.serialize import member
from triage.sandbox.store import Row, Store

blueprint = Blueprint("members", __name__)
View = Callable[..., Any]


class Source:
    """A group or project as a holder of memberships."""

    def __init__(self, current: Call, kind: str, ident: str) -> None:
        self.kind = kind
        if kind == "groups":
            self.row = find_group(current.store, current.actor, ident)
            self.type = "Namespace"
            self.level = group_level(current.store, current.actor, self.row)
            self.groups = ancestor_ids(current.store, int(self.row["id"]))[1:]
        else:
            self.row = find_project(current.store, current.actor, ident)
            self.type = "Project"
            self.level = project_level(current.store, current.actor, self.row)
            self.groups = ancestor_ids(current.store, int(self.row["namespace_id"]))

    def direct(self, store: Store) -> list[Row]:
        return store.all(
            "SELECT * FROM members WHERE source_type = ? AND source_id = ? "
            "ORDER BY created_at, user_id",
            [self.type, self.row["id"]],
        )

    def inherited(self, store: Store) -> list[Row]:
        """Direct and ancestor-group memberships, the highest level per user."""
        marks = ",".join("?" for _ in self.groups) or "NULL"
        rows = store.all(
            f"SELECT * FROM members WHERE (source_type = ? AND source_id = ?) OR "
            f"(source_type = 'Namespace' AND source_id IN ({marks})) "
            f"ORDER BY access_level DESC, created_at",
            [self.type, self.row["id"], *self.groups],
        )
        best: dict[int, Row] = {}
        for row in rows:
            best.setdefault(int(row["user_id"]), row)
        return sorted(best.values(), key=lambda row: (row["created_at"], row["user_id"]))


def add_member(
    store: Store,
    source_type: str,
    source_id: int,
    user_id: int,
    level: int,
    expires_at: str | None = None,
    created_by: int | None = None,
) -> Row:
    store.insert(
        "members",
        {
            "source_type": source_type,
            "source_id": source_id,
            "user_id": user_id,
            "access_level": level,
            "expires_at": expires_at,
            "created_at": store.now_text(),
            "created_by_id": created_by,
        },
    )
    row = store.one(
        "SELECT * FROM members WHERE source_type = ? AND source_id = ? AND user_id = ?",
        [source_type, source_id, user_id],
    )
    assert row is not None
    return row


def _listing(current: Call, rows: list[Row]) -> Response:
    users = {row["id"]: row for row in current.store.all("SELECT * FROM users")}
    query = (current.params.text("query") or "").lower()
    wanted = current.params.integers("user_ids")
    rows = [
        row
        for row in rows
        if (
            not query
            or query in str(users[row["user_id"]]["username"]).lower()
            or query in str(users[row["user_id"]]["name"]).lower()
        )
        and (not wanted or row["user_id"] in wanted)
    ]
    page = page_params()
    items = [member(current.view, users[row["user_id"]], row) for row in page_of(rows, page)]
    return paginated(items, len(rows), page)


def _one(current: Call, rows: list[Row], user_id: int) -> Response:
    for row in rows:
        if row["user_id"] == user_id:
            user = current.store.one("SELECT * FROM users WHERE id = ?", [user_id])
            assert user is not None
            return reply(member(current.view, user, row))
    raise ApiError(404, {"message": "404 Member Not Found"})


def route(rule: str, method: str) -> Callable[[View], View]:
    """Register a view for both `/groups/:id/...` and `/projects/:id/...`."""

    def register(view: View) -> View:
        for kind in ("groups", "projects"):
            blueprint.add_url_rule(
                f"/{kind}/<id:ident>{rule}",
                f"{kind}_{view.__name__}",
                view,
                methods=[method],
                defaults={"kind": kind},
            )
        return view

    return register


@route("/members", "GET")
def list_direct(kind: str, ident: str) -> Response:
    current = call()
    source = Source(current, kind, ident)
    return _listing(current, source.direct(current.store))


@route("/members/all", "GET")
def list_all(kind: str, ident: str) -> Response:
    current = call()
    source = Source(current, kind, ident)
    return _listing(current, source.inherited(current.store))


@route("/members/<int:user_id>", "GET")
def get_direct(kind: str, ident: str, user_id: int) -> Response:
    current = call()
    return _one(current, Source(current, kind, ident).direct(current.store), user_id)


@route("/members/all/<int:user_id>", "GET")
def get_inherited(kind: str, ident: str, user_id: int) -> Response:
    current = call()
    return _one(current, Source(current, kind, ident).inherited(current.store), user_id)


def _level(current: Call, source: Source) -> int:
    level = current.params.integer("access_level")
    if level is None:
        raise ApiError(400, {"error": "access_level is missing"})
    if level not in ACCESS_LEVELS:
        raise ApiError(400, {"error": "access_level does not have a valid value"})
    if source.level < MAINTAINER or (level == OWNER and source.level < OWNER):
        raise forbidden()
    return level


@route("/members", "POST")
def post_member(kind: str, ident: str) -> Response:
    current = call()
    source = Source(current, kind, ident)
    params = current.params
    if not params.has("user_id") and not params.has("username"):
        raise ApiError(
            400, {"error": "user_id, username are missing, exactly one parameter must be provided"}
        )
    level = _level(current, source)
    ident_user = params.text("user_id") or params.text("username") or ""
    column = "id" if ident_user.isdigit() else "username"
    user = current.store.one(f"SELECT * FROM users WHERE {column} = ?", [ident_user])
    if user is None:
        raise ApiError(404, {"message": "404 User Not Found"})
    if current.store.one(
        "SELECT 1 FROM members WHERE source_type = ? AND source_id = ? AND user_id = ?",
        [source.type, source.row["id"], user["id"]],
    ):
        raise ApiError(409, {"message": "Member already exists"})
    row = add_member(
        current.store,
        source.type,
        int(source.row["id"]),
        int(user["id"]),
        level,
        params.day("expires_at"),
        current.actor.id,
    )
    return reply(member(current.view, user, row), 201)


@route("/members/<int:user_id>", "PUT")
def put_member(kind: str, ident: str, user_id: int) -> Response:
    current = call()
    source = Source(current, kind, ident)
    level = _level(current, source)
    rows = [row for row in source.direct(current.store) if row["user_id"] == user_id]
    if not rows:
        raise ApiError(404, {"message": "404 Member Not Found"})
    current.store.run(
        "UPDATE members SET access_level = ?, expires_at = ? WHERE source_type = ? "
        "AND source_id = ? AND user_id = ?",
        [level, current.params.day("expires_at"), source.type, source.row["id"], user_id],
    )
    return _one(current, source.direct(current.store), user_id)


@route("/members/<int:user_id>", "DELETE")
def delete_member(kind: str, ident: str, user_id: int) -> Response:
    current = call()
    source = Source(current, kind, ident)
    if source.level < MAINTAINER and current.actor.id != user_id:
        raise forbidden()
    if not [row for row in source.direct(current.store) if row["user_id"] == user_id]:
        raise ApiError(404, {"message": "404 Member Not Found"})
    current.store.run(
        "DELETE FROM members WHERE source_type = ? AND source_id = ? AND user_id = ?",
        [source.type, source.row["id"], user_id],
    )
    return Response(status=204)
