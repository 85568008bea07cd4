"""Whether the token's user may write: the Reporter role (or more) where salsatam writes.

GitLab lets a Guest open issues and post notes, but silently drops the labels, assignees
and due date it sends: the issues salsatam would open carry neither `salsatam` nor their
labels, so no later run finds them by key. `apply` therefore checks the user's role before
writing and refuses below Reporter; `plan` warns (a Guest can't see confidential issues,
so its plan may be incomplete). Administrators pass.

Cost: `GET /user`, then the user's membership (`members/all/:user_id`, which counts
inherited roles) in the accounts project and in the customers group. The accounts
project's member list the fetch reads already answers the first, so a daily run pays two
reads; answers are kept on the connection, so a second check costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from triage.gitlab.client import Connection, group_path, project_path
from triage.gitlab.errors import GitLabError, SettingsError

REPORTER = 20
ROLES = {5: "has Minimal Access", 10: "is a Guest", 15: "is a Planner"}


@dataclass(frozen=True)
class Shortfall:
    """The user's role is below Reporter in `place` (a project or group path)."""

    username: str
    place: str
    level: int  # 0: not a member

    @property
    def who(self) -> str:
        if self.level <= 0:
            return f"salsatam's user {self.username} is not a member of {self.place}"
        role = ROLES.get(self.level, f"has access level {self.level}")
        return f"salsatam's user {self.username} {role} in {self.place}"

    def refusal(self) -> str:
        return f"{self.who}: it needs the Reporter role (or more) to write; nothing was written"

    def warning(self) -> str:
        return (
            f"{self.who}: it can't see confidential issues, so this plan may be incomplete, "
            "and apply needs the Reporter role (or more)"
        )


def remember_members(conn: Connection, place: str, members: Iterable[dict[str, Any]]) -> None:
    """Keep the access levels of a member list already read (`place`: its API path)."""
    levels = {int(m["id"]): int(m.get("access_level") or 0) for m in members if "id" in m}
    conn.cache[f"members:{place}"] = levels


def current_user(conn: Connection) -> dict[str, Any]:
    """`GET /user`, once per connection."""
    if "user" not in conn.cache:
        conn.cache["user"] = conn.get("/user")
    user: dict[str, Any] = conn.cache["user"]
    return user


def _level(conn: Connection, place: str, user_id: int) -> int | None:
    """The user's access level in `place` (direct or inherited); 0 when not a member,
    None when GitLab does not say (not a member of the group, but maybe of its projects)."""
    listed = conn.cache.get(f"members:{place}")
    if isinstance(listed, dict):
        return int(listed.get(user_id, 0))
    key = f"level:{place}:{user_id}"
    if key not in conn.cache:
        try:
            conn.cache[key] = int(conn.get(f"{place}/members/all/{user_id}")["access_level"])
        except GitLabError as exc:
            if not exc.not_found:
                raise
            conn.cache[key] = None
    found: int | None = conn.cache[key]
    return found


def shortfall(
    conn: Connection, accounts_project: tuple[int | str, str], customers_group: str | None
) -> Shortfall | None:
    """Where the token's user has less than Reporter, if anywhere: the accounts project
    (`(id, path)`; not being a member counts) or the customers group (a user who is no
    member of the group itself may still be one of each customer project: not judged)."""
    user = current_user(conn)
    if user.get("is_admin"):
        return None
    user_id, name = int(user["id"]), str(user.get("username", user["id"]))
    project_id, path = accounts_project
    level = _level(conn, project_path(project_id), user_id) or 0
    if level < REPORTER:
        return Shortfall(name, path, level)
    if customers_group:
        group_level = _level(conn, group_path(customers_group), user_id)
        if group_level is not None and group_level < REPORTER:
            return Shortfall(name, customers_group, group_level)
    return None


def require_write_access(
    conn: Connection, accounts_project: tuple[int | str, str], customers_group: str | None
) -> None:
    """Raise `SettingsError` (exit 2) when the token's user may not write."""
    found = shortfall(conn, accounts_project, customers_group)
    if found is not None:
        raise SettingsError(found.refusal(), 403)
