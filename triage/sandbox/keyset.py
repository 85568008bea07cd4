"""Keyset pagination (`pagination=keyset`): a cursor in `Link rel="next"`, no totals.

GitLab offers it on project issues (ordered by id, title, created_at or updated_at here;
other orderings fall back to offset pages, as GitLab does) and on projects (ordered by id,
through `id_after` / `id_before`).
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

from flask import Request

from triage.sandbox.errors import ApiError

ISSUE_COLUMNS = {
    "created_at": "i.created_at",
    "updated_at": "i.updated_at",
    "title": "i.title",
    "id": "i.id",
    "relative_position": "i.id",
}


def wanted(request_params: dict[str, Any]) -> bool:
    return str(request_params.get("pagination") or "").lower() == "keyset"


def encode(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode(cursor: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except ValueError:
        raise ApiError(400, {"error": "cursor is invalid"}) from None
    if not isinstance(values, dict):
        raise ApiError(400, {"error": "cursor is invalid"})
    return values


def after(column: str, descending: bool, cursor: dict[str, Any]) -> tuple[str, list[Any]]:
    """The WHERE clause for rows after the cursor's (value, id)."""
    operator = "<" if descending else ">"
    clause = f"({column} {operator} ? OR ({column} = ? AND i.id {operator} ?))"
    return clause, [cursor["value"], cursor["value"], cursor["id"]]


def next_link(request: Request, replace: dict[str, str], drop: tuple[str, ...] = ()) -> str:
    query = [
        (key, value)
        for key, value in request.args.items(multi=True)
        if key not in replace and key not in drop
    ]
    query += list(replace.items())
    path = str(request.environ.get("REQUEST_URI") or request.path).split("?")[0]
    return f'<{request.host_url.rstrip("/")}{path}?{urlencode(query)}>; rel="next"'
