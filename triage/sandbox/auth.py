"""Who is asking: token lookup, scopes, and admin impersonation through Sudo."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request

from triage.sandbox.errors import ApiError, forbidden, unauthorized
from triage.sandbox.params import Params
from triage.sandbox.store import Row, Store

READ_SCOPES = {"api", "read_api"}


@dataclass(frozen=True)
class Actor:
    """The effective user of a request (after Sudo) and the token's scopes."""

    user: Row | None
    scopes: frozenset[str]
    impersonator: Row | None = None

    @property
    def id(self) -> int:
        if self.user is None:
            raise unauthorized()
        return int(self.user["id"])

    @property
    def is_admin(self) -> bool:
        return self.user is not None and bool(self.user["is_admin"])

    def require_user(self) -> Row:
        if self.user is None:
            raise unauthorized()
        return self.user

    def require_scope(self, write: bool) -> None:
        if self.user is None:
            return
        allowed = {"api"} if write else READ_SCOPES
        if not self.scopes & allowed:
            raise ApiError(
                403,
                {
                    "error": "insufficient_scope",
                    "error_description": "The request requires higher privileges than provided "
                    "by the access token.",
                    "scope": " ".join(sorted(allowed)),
                },
            )


ANONYMOUS = Actor(user=None, scopes=frozenset())


def token_of(request: Request, params: Params) -> str | None:
    header = request.headers.get("PRIVATE-TOKEN") or request.headers.get("JOB-TOKEN")
    if header:
        return header
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    value = params.text("private_token") or params.text("access_token")
    return value or None


def authenticate(store: Store, request: Request, params: Params) -> Actor:
    token = token_of(request, params)
    if token is None:
        return ANONYMOUS
    row = store.one(
        "SELECT t.scopes, t.expires_at, t.revoked, u.* FROM tokens t "
        "JOIN users u ON u.id = t.user_id WHERE t.token = ?",
        [token],
    )
    if row is None or row["revoked"] or row["state"] != "active":
        raise unauthorized()
    if row["expires_at"] and row["expires_at"] <= store.now().date().isoformat():
        raise unauthorized()
    scopes = frozenset(str(row.pop("scopes")).split(","))
    for column in ("expires_at", "revoked"):
        row.pop(column)
    actor = Actor(user=row, scopes=scopes)
    sudo = request.headers.get("Sudo") or params.text("sudo")
    return _impersonate(store, actor, sudo) if sudo else actor


def _impersonate(store: Store, actor: Actor, sudo: str) -> Actor:
    if "sudo" not in actor.scopes:
        raise ApiError(
            403,
            {
                "error": "insufficient_scope",
                "error_description": "The request requires higher privileges than provided by "
                "the access token.",
                "scope": "sudo",
            },
        )
    if not actor.is_admin:
        raise forbidden("Must be admin to use sudo")
    column = "id" if sudo.isdigit() else "username"
    user = store.one(f"SELECT * FROM users WHERE {column} = ?", [sudo])
    if user is None:
        raise ApiError(404, {"message": f"404 User with ID or username '{sudo}' Not Found"})
    return Actor(user=user, scopes=actor.scopes, impersonator=actor.user)
