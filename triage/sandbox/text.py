"""What GitLab does with text written into issues and notes.

Every description and note passes through `process`: the one place where references become
"mentioned in" system notes, and where quick actions and mentions will be handled.
"""

from __future__ import annotations

import re

from triage.sandbox import mentions, system_notes
from triage.sandbox.store import Row, Store

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_REFERENCE = re.compile(
    r"(?<![\w/&])(?P<path>[A-Za-z0-9_.][A-Za-z0-9_.\-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.\-]*)+)?"
    r"#(?P<iid>\d+)\b"
)


def prose(text: str) -> str:
    """Text with code blocks and code spans removed: references there do nothing."""
    return _CODE_SPAN.sub(" ", _FENCE.sub(" ", text))


def referenced_issues(store: Store, text: str, project: Row) -> list[Row]:
    found: list[Row] = []
    for match in _REFERENCE.finditer(prose(text)):
        path = match.group("path")
        if path:
            target_project = store.one("SELECT id FROM projects WHERE full_path = ?", [path])
            project_id = None if target_project is None else target_project["id"]
        else:
            project_id = project["id"]
        issue = store.one(
            "SELECT * FROM issues WHERE project_id = ? AND iid = ?",
            [project_id, int(match.group("iid"))],
        )
        if issue is not None and all(issue["id"] != seen["id"] for seen in found):
            found.append(issue)
    return found


def process(
    store: Store,
    issue: Row,
    author_id: int,
    text: str | None,
    previous: str | None = None,
    note_id: int | None = None,
) -> None:
    """Act on newly written text of `issue` (its description, or the note `note_id` on it)."""
    if not text:
        return
    mentions.record(store, issue, author_id, prose(text), prose(previous or ""), note_id)
    project = store.one("SELECT * FROM projects WHERE id = ?", [issue["project_id"]])
    assert project is not None
    before = {row["id"] for row in referenced_issues(store, previous or "", project)}
    for target in referenced_issues(store, text, project):
        if target["id"] == issue["id"] or target["id"] in before:
            continue
        body = "mentioned in issue " + system_notes.reference(store, issue, target)
        exists = store.one(
            "SELECT id FROM notes WHERE issue_id = ? AND system = 1 AND body = ?",
            [target["id"], body],
        )
        if exists is None:
            system_notes.add(store, target, author_id, body)
