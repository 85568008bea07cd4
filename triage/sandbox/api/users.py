"""Users and their personal access tokens."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response

from triage.sandbox.context import Call, call, page_params, paginated, reply
from triage.sandbox.errors import ApiError, conflict, forbidden
from triage.sandbox.pagination import page_of
from triage.sandbox.serialize import user_full
from triage.sandbox.store import Row, Store

blueprint = Blueprint("users", __name__)
TOKEN_SCOPES = (
    "api",
    "read_api",
    "read_user",
    "read_repository",
    "write_repository",
    "sudo",
    "admin_mode",
    "create_runner",
    "manage_runner",
    "ai_features",
    "k8s_proxy",
    "read_service_ping",
    "self_rotate",
)


def find_user(store: Store, ident: str) -> Row:
    column = "id" if ident.isdigit() else "username"
    user = store.one(f"SELECT * FROM users WHERE {column} = ?", [ident])
    if user is None:
        raise ApiError(404, {"message": "404 User Not Found"})
    return user


def create_user(
    store: Store, username: str, name: str, email: str, *, admin: bool = False, bot: bool = False
) -> Row:
    now = store.now_text()
    namespace_id = store.insert(
        "namespaces",
        {"kind": "user", "name": name, "path": username, "full_path": username, "created_at": now},
    )
    user_id = store.insert(
        "users",
        {
            "username": username,
            "name": name,
            "email": email,
            "is_admin": int(admin),
            "bot": int(bot),
            "namespace_id": namespace_id,
            "created_at": now,
        },
    )
    store.run("UPDATE namespaces SET owner_id = ? WHERE id = ?", [user_id, namespace_id])
    return find_user(store, str(user_id))


def create_token(
    store: Store,
    user_id: int,
    name: str,
    scopes: list[str],
    expires_at: str | None,
    token: str | None = None,
) -> Row:
    value = token or f"glpat-{secrets.token_urlsafe(15)}"
    token_id = store.insert(
        "tokens",
        {
            "token": value,
            "user_id": user_id,
            "name": name,
            "scopes": ",".join(scopes),
            "expires_at": expires_at,
            "created_at": store.now_text(),
        },
    )
    row = store.one("SELECT * FROM tokens WHERE id = ?", [token_id])
    assert row is not None
    return row


def _sees_private(current: Call, user: Row) -> bool:
    return current.actor.is_admin or (
        current.actor.user is not None and current.actor.id == user["id"]
    )


@blueprint.get("/user")
def me() -> Response:
    current = call()
    return reply(user_full(current.view, current.actor.require_user(), private=True))


@blueprint.get("/users")
def list_users() -> Response:
    current = call()
    params = current.params
    direction = "DESC" if params.descending() else "ASC"
    clauses, values = ["1 = 1"], []
    if params.text("username"):
        clauses.append("username = ?")
        values.append(params.text("username"))
    if params.text("search"):
        clauses.append("(username LIKE ? OR name LIKE ? OR email LIKE ?)")
        values += [f"%{params.text('search')}%"] * 3
    if params.boolean("admins"):
        clauses.append("is_admin = 1")
    rows = current.store.all(
        f"SELECT * FROM users WHERE {' AND '.join(clauses)} ORDER BY id {direction}", values
    )
    page = page_params()
    items = [
        user_full(current.view, row, private=_sees_private(current, row))
        for row in page_of(rows, page)
    ]
    return paginated(items, len(rows), page)


@blueprint.get("/users/<user_id>")
def get_user(user_id: str) -> Response:
    current = call()
    user = find_user(current.store, user_id)
    return reply(user_full(current.view, user, private=_sees_private(current, user)))


@blueprint.post("/users")
def post_user() -> Response:
    current = call()
    current.actor.require_user()
    if not current.actor.is_admin:
        raise forbidden()
    params = current.params
    absent = [name for name in ("email", "name", "username") if not params.text(name)]
    if absent:
        raise ApiError(400, {"error": ", ".join(f"{name} is missing" for name in absent)})
    username, email = str(params.text("username")), str(params.text("email"))
    if current.store.one("SELECT id FROM users WHERE username = ?", [username]):
        raise conflict("Username has already been taken")
    if current.store.one("SELECT id FROM users WHERE email = ?", [email]):
        raise conflict("Email has already been taken")
    user = create_user(
        current.store,
        username,
        str(params.text("name")),
        email,
        admin=bool(params.boolean("admin")),
    )
    return reply(user_full(current.view, user, private=True), 201)


@blueprint.post("/users/<user_id>/personal_access_tokens")
def post_token(user_id: str) -> Response:
    current = call()
    current.actor.require_user()
    if not current.actor.is_admin:
        raise forbidden()
    user = find_user(current.store, user_id)
    params = current.params
    absent = [name for name in ("name", "scopes") if not params.has(name)]
    if absent:
        raise ApiError(400, {"error": ", ".join(f"{name} is missing" for name in absent)})
    scopes = params.names("scopes") or []
    if not scopes or any(scope not in TOKEN_SCOPES for scope in scopes):
        raise ApiError(400, {"error": "scopes does not have a valid value"})
    token = create_token(
        current.store, int(user["id"]), str(params.text("name")), scopes, params.day("expires_at")
    )
    return reply(token_json(token, include_secret=True), 201)


def token_json(token: Row, *, include_secret: bool) -> dict[str, object]:
    result: dict[str, object] = {
        "id": token["id"],
        "name": token["name"],
        "revoked": bool(token["revoked"]),
        "created_at": token["created_at"],
        "description": None,
        "scopes": str(token["scopes"]).split(","),
        "user_id": token["user_id"],
        "last_used_at": None,
        "active": not token["revoked"],
        "expires_at": token["expires_at"],
    }
    if include_secret:
        result["token"] = token["token"]
    return result
