"""Roles: access levels through memberships, ancestor groups and shared groups."""

from __future__ import annotations

from triage.sandbox.auth import Actor
from triage.sandbox.errors import forbidden, not_found
from triage.sandbox.store import Row, Store

GUEST, REPORTER, DEVELOPER, MAINTAINER, OWNER = 10, 20, 30, 40, 50
ACCESS_LEVELS = (5, GUEST, REPORTER, DEVELOPER, MAINTAINER, OWNER)


def ancestor_ids(store: Store, namespace_id: int) -> list[int]:
    """The namespace itself, then its parent, up to the top-level group."""
    chain: list[int] = []
    current: int | None = namespace_id
    while current is not None and current not in chain:
        chain.append(current)
        current = store.scalar("SELECT parent_id FROM namespaces WHERE id = ?", [current])
    return chain


def descendant_ids(store: Store, group_id: int) -> list[int]:
    rows = store.all(
        "WITH RECURSIVE tree(id) AS (SELECT ? UNION SELECT n.id FROM namespaces n "
        "JOIN tree ON n.parent_id = tree.id) SELECT id FROM tree",
        [group_id],
    )
    return [int(row["id"]) for row in rows]


def group_access(store: Store, user_id: int, group_id: int) -> int:
    ids = ancestor_ids(store, group_id)
    marks = ",".join("?" for _ in ids)
    level = store.scalar(
        f"SELECT MAX(access_level) FROM members WHERE source_type = 'Namespace' "
        f"AND user_id = ? AND source_id IN ({marks})",
        [user_id, *ids],
    )
    return int(level or 0)


def project_access(store: Store, user_id: int, project: Row) -> int:
    levels = [0]
    direct = store.scalar(
        "SELECT access_level FROM members WHERE source_type = 'Project' AND source_id = ? "
        "AND user_id = ?",
        [project["id"], user_id],
    )
    levels.append(int(direct or 0))
    namespace = store.one(
        "SELECT kind, owner_id FROM namespaces WHERE id = ?", [project["namespace_id"]]
    )
    if namespace is not None and namespace["kind"] == "user":
        levels.append(OWNER if namespace["owner_id"] == user_id else 0)
    else:
        levels.append(group_access(store, user_id, int(project["namespace_id"])))
    for link in store.all(
        "SELECT group_id, access_level FROM project_group_links WHERE project_id = ?",
        [project["id"]],
    ):
        levels.append(
            min(int(link["access_level"]), group_access(store, user_id, int(link["group_id"])))
        )
    return max(levels)


def project_level(store: Store, actor: Actor, project: Row) -> int:
    """The actor's access level in a project; administrators count as owners."""
    if actor.user is None:
        return 0
    if actor.is_admin:
        return OWNER
    return project_access(store, actor.id, project)


def group_level(store: Store, actor: Actor, group: Row) -> int:
    if actor.user is None:
        return 0
    if actor.is_admin:
        return OWNER
    return group_access(store, actor.id, int(group["id"]))


def _visible(visibility: str, actor: Actor, level: int) -> bool:
    if level >= GUEST or visibility == "public":
        return True
    return visibility == "internal" and actor.user is not None


def find_project(store: Store, actor: Actor, ident: str | int) -> Row:
    """A project by numeric id or full path, if the actor may see it (else 404)."""
    text = str(ident)
    column = "id" if text.isdigit() else "full_path"
    project = store.one(f"SELECT * FROM projects WHERE {column} = ?", [text])
    if project is None or not _visible(
        project["visibility"], actor, project_level(store, actor, project)
    ):
        raise not_found("Project")
    return project


def find_group(store: Store, actor: Actor, ident: str | int) -> Row:
    text = str(ident)
    column = "id" if text.isdigit() else "full_path"
    group = store.one(f"SELECT * FROM namespaces WHERE kind = 'group' AND {column} = ?", [text])
    if group is None or not _visible(
        group["visibility"],
        actor,
        max(group_level(store, actor, group), _member_below(store, actor, group)),
    ):
        raise not_found("Group")
    return group


def _member_below(store: Store, actor: Actor, group: Row) -> int:
    """Members of a subproject or subgroup may see the group (GitLab shows it to them)."""
    if actor.user is None:
        return 0
    ids = descendant_ids(store, int(group["id"]))
    marks = ",".join("?" for _ in ids)
    found = store.scalar(
        f"SELECT 1 FROM members m LEFT JOIN projects p ON m.source_type = 'Project' "
        f"AND p.id = m.source_id WHERE m.user_id = ? AND ((m.source_type = 'Namespace' "
        f"AND m.source_id IN ({marks})) OR p.namespace_id IN ({marks})) LIMIT 1",
        [actor.id, *ids, *ids],
    )
    return GUEST if found else 0


def require(level: int, needed: int) -> None:
    if level < needed:
        raise forbidden()
