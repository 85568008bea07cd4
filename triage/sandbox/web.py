"""A read-only web view of the sandbox's data, so that the web URLs it hands out open.

Issue, project, group and user `web_url`s point at pages here, in GitLab's URL shapes:

    /                                   groups and projects
    /groups/<group path>                a group: subgroups, projects, boards
    /groups/<group path>/-/boards[/id]  the group's boards
    /<project path>                     a project: its issues and boards
    /<project path>/-/issues            its issues, open first
    /<project path>/-/issues/<iid>      one issue: metadata, description, links, notes
    /<project path>/-/boards[/id]       its boards, lists as columns
    /<username>                         a user's open assigned issues

It is a demo convenience, not GitLab's UI: GET only, everything shown as an administrator
sees it (confidential issues are marked), nothing counted by the API request counter, and
the API (/api/v4) and admin (/-/sandbox) prefixes are never answered here.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from flask import Blueprint, Response, current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import NotFound
from werkzeug.routing import PathConverter

from triage.sandbox import web_data as data
from triage.sandbox.store import Store
from triage.sandbox.web_pages import CONTENT_SECURITY_POLICY, page

blueprint = Blueprint("sandbox_web", __name__)
RESERVED = ("api/", "-/")  # /api/v4 and /-/sandbox stay the API's and the admin's
_ISSUE = re.compile(r"(?P<path>.+)/-/issues/(?P<iid>[0-9]+)/?")
_ISSUES = re.compile(r"(?P<path>.+)/-/issues/?")
_BOARDS = re.compile(r"(?P<path>.+)/-/boards(?:/(?P<board>[0-9]+))?/?")


def is_web_path(path: str) -> bool:
    """True when `path` belongs to the web view, not to the API or the admin API."""
    relative = path.lstrip("/")
    return relative != "api" and not relative.startswith(RESERVED)


class WebPathConverter(PathConverter):
    """A path that is neither the API's nor the admin API's: those never match a page, so
    their unknown routes stay unknown (JSON 404, counted as `(unknown)`)."""

    regex = "(?!api/|api$|-/)[^/].*?"


@blueprint.record_once
def _converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters["webpath"] = WebPathConverter


def html(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def not_found() -> Response:
    return html(page("not_found", path=request.path), 404)


def _store() -> Store:
    store: Store = current_app.extensions["sandbox"].store
    return store


@blueprint.get("/")
def home() -> Response:
    store = _store()
    return html(page("home", groups=data.groups(store), projects=data.projects(store)))


@blueprint.get("/<webpath:rest>")
def dispatch(rest: str) -> Response:
    if not is_web_path(request.path):
        raise NotFound()
    path = unquote(rest)
    store = _store()
    if path.startswith("groups/"):
        return _group_page(store, path.removeprefix("groups/"))
    if match := _ISSUE.fullmatch(path):
        return _issue_page(store, match["path"], int(match["iid"]))
    if match := _ISSUES.fullmatch(path):
        return _issues_page(store, match["path"])
    if match := _BOARDS.fullmatch(path):
        project = data.project(store, match["path"])
        if project is None:
            raise NotFound()
        return _boards_page(
            project["full_path"],
            f"/{project['full_path']}/-/boards",
            data.boards(store, project_id=project["id"]),
            match["board"],
        )
    return _plain_page(store, path.rstrip("/"))


def _plain_page(store: Store, path: str) -> Response:
    project = data.project(store, path)
    if project is not None:
        issues = data.project_issues(store, project["id"])
        open_count = sum(1 for item in issues if item.row["state"] == "opened")
        return html(
            page(
                "project",
                project=project,
                open_count=open_count,
                closed_count=len(issues) - open_count,
                boards=[b.row for b in data.boards(store, project_id=project["id"])],
            )
        )
    group = data.group(store, path)
    if group is not None:
        return _group_page(store, group["full_path"])
    person = data.user(store, path)
    if person is not None and "/" not in path:
        rows = store.all(
            "SELECT i.* FROM issues i JOIN issue_assignees a ON a.issue_id = i.id "
            "WHERE a.user_id = ? AND i.state = 'opened' ORDER BY i.due_date IS NULL, "
            "i.due_date, i.id",
            [person["id"]],
        )
        return html(page("user", person=person, issues=data.items(store, rows)))
    raise NotFound()


def _group_page(store: Store, path: str) -> Response:
    match = _BOARDS.fullmatch(path)
    group = data.group(store, match["path"] if match else path.rstrip("/"))
    if group is None:
        raise NotFound()
    boards = data.boards(store, group_id=group["id"])
    if match:
        return _boards_page(
            f"group {group['full_path']}",
            f"/groups/{group['full_path']}/-/boards",
            boards,
            match["board"],
            crumbs=group["full_path"],
        )
    return html(
        page(
            "group",
            group=group,
            subgroups=data.subgroups(store, group["id"]),
            projects=data.projects(store, [group["id"]]),
            board_count=len(boards),
        )
    )


def _issues_page(store: Store, path: str) -> Response:
    project = data.project(store, path)
    if project is None:
        raise NotFound()
    issues = data.project_issues(store, project["id"])
    open_count = sum(1 for item in issues if item.row["state"] == "opened")
    return html(page("issues", project=project, issues=issues, open_count=open_count))


def _issue_page(store: Store, path: str, iid: int) -> Response:
    project = data.project(store, path)
    item = None if project is None else data.issue(store, project["id"], iid)
    if item is None:
        raise NotFound()
    return html(
        page(
            "issue",
            item=item,
            users=data.users_by_id(store),
            notes=data.notes(store, item.row["id"]),
            links=data.links(store, item.row["id"]),
        )
    )


def _boards_page(
    owner: str,
    base: str,
    boards: list[data.Board],
    board_id: str | None,
    crumbs: str | None = None,
) -> Response:
    if board_id is not None:
        boards = [board for board in boards if board.row["id"] == int(board_id)]
        if not boards:
            raise NotFound()
    return html(
        page(
            "boards",
            owner=owner,
            owner_path=crumbs or owner,
            base=base,
            boards=boards,
        )
    )
