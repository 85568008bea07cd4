"""GitLab API objects (JSON dicts) to the immutable snapshot types.

Bots: GitLab's `bot` attribute is not part of the basic user objects embedded in issues,
notes and member lists, so a user counts as a bot when GitLab says so, when the username
ends in `-bot` / `_bot` (GitLab's own support, alert and migration bots), when it is a
project or group access token's bot user (`project_12_bot_<hex>`), or when it is listed
in `settings.bots`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from typing import Any

from triage.snapshot import Board, BoardList, Issue, Label, Note, Project, User

_TOKEN_BOT = re.compile(r"^(project|group)_\d+_bot(_[0-9a-f]+)?$")
_GHOST = User(id=0, username="ghost", name="Ghost User")


def is_bot(username: str, bots: Collection[str] = ()) -> bool:
    lowered = username.lower()
    return username in bots or lowered.endswith(("-bot", "_bot")) or bool(_TOKEN_BOT.match(lowered))


def timestamp(value: str) -> datetime:
    """GitLab's ISO 8601 time (`2016-01-04T15:31:51.081Z`) as an aware datetime."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def optional_timestamp(value: str | None) -> datetime | None:
    return timestamp(value) if value else None


def optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def user(data: Mapping[str, Any] | None, bots: Collection[str] = ()) -> User:
    if not data:
        return _GHOST
    username = str(data.get("username") or "")
    return User(
        id=int(data.get("id") or 0),
        username=username,
        name=str(data.get("name") or ""),
        bot=bool(data.get("bot")) or is_bot(username, bots),
    )


def issue_project_path(data: Mapping[str, Any]) -> str:
    """The full project path of an issue, from `references.full` (`group/project#6`)."""
    full = str((data.get("references") or {}).get("full") or "")
    if "#" in full:
        return full.rsplit("#", 1)[0]
    web_url = str(data.get("web_url") or "")
    if "/-/issues/" in web_url:
        # https://host/group/project/-/issues/6 -> group/project
        return web_url.split("/-/issues/")[0].split("/", 3)[-1]
    return ""


def issue(data: Mapping[str, Any], bots: Collection[str] = (), path: str = "") -> Issue:
    assignees = data.get("assignees") or ([data["assignee"]] if data.get("assignee") else [])
    return Issue(
        id=int(data["id"]),
        iid=int(data["iid"]),
        project_id=int(data["project_id"]),
        project_path=path or issue_project_path(data),
        title=str(data.get("title") or ""),
        description=str(data.get("description") or ""),
        state=str(data.get("state") or "opened"),
        labels=tuple(_label_names(data.get("labels") or ())),
        author=user(data.get("author"), bots),
        created_at=timestamp(data["created_at"]),
        updated_at=timestamp(data["updated_at"]),
        web_url=str(data.get("web_url") or ""),
        assignees=tuple(user(a, bots) for a in assignees),
        closed_at=optional_timestamp(data.get("closed_at")),
        due_date=optional_date(data.get("due_date")),
        confidential=bool(data.get("confidential")),
        user_notes_count=int(data.get("user_notes_count") or 0),
    )


def _label_names(labels: Any) -> list[str]:
    # `with_labels_details=true` returns objects; the default is names.
    return [str(x["name"]) if isinstance(x, Mapping) else str(x) for x in labels]


def note(data: Mapping[str, Any], bots: Collection[str] = ()) -> Note:
    return Note(
        id=int(data["id"]),
        author=user(data.get("author"), bots),
        body=str(data.get("body") or ""),
        created_at=timestamp(data["created_at"]),
        system=bool(data.get("system")),
        internal=bool(data.get("internal") or data.get("confidential")),
    )


def label(data: Mapping[str, Any]) -> Label:
    return Label(
        name=str(data["name"]),
        color=str(data.get("color") or ""),
        description=str(data.get("description") or ""),
        id=int(data.get("id") or 0),
    )


def project(data: Mapping[str, Any], boards: tuple[Board, ...] | None = None) -> Project:
    return Project(
        id=int(data["id"]),
        path=str(data.get("path_with_namespace") or ""),
        name=str(data.get("name") or ""),
        web_url=str(data.get("web_url") or ""),
        boards=boards,
        created_at=optional_timestamp(data.get("created_at")),
    )


def board(data: Mapping[str, Any]) -> Board:
    lists = []
    for item in data.get("lists") or ():
        found = item.get("label") or {}
        name = found.get("name")
        if name:  # backlog/closed and assignee/milestone lists carry no label
            position = int(item.get("position") or 0)
            described = found.get("description")
            lists.append(BoardList(int(item["id"]), str(name), position, described))
    lists.sort(key=lambda x: x.position)
    return Board(id=int(data["id"]), name=str(data.get("name") or ""), lists=tuple(lists))
