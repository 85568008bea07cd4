"""GitLab's JSON shapes for users, namespaces, projects, labels and members."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from triage.sandbox.store import Row, Store

Json = dict[str, Any]


@dataclass(frozen=True)
class View:
    """What a serializer needs: the store (for related rows) and the public base URL."""

    store: Store
    base_url: str

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"


def avatar_url(email: str) -> str:
    digest = hashlib.md5(email.lower().encode(), usedforsecurity=False).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}?s=80&d=identicon"


def user_basic(view: View, user: Row) -> Json:
    """The closed basic user object (issue authors, assignees, note authors)."""
    return {
        "id": user["id"],
        "username": user["username"],
        "name": user["name"],
        "state": user["state"],
        "avatar_url": avatar_url(user["email"]),
        "web_url": view.url(user["username"]),
    }


def user_full(view: View, user: Row, *, private: bool) -> Json:
    """`GET /user` and `GET /users/:id`; email and admin flag only for self or admins."""
    result = user_basic(view, user)
    result.update(
        {
            "locked": False,
            "created_at": user["created_at"],
            "bio": "",
            "location": "",
            "public_email": None,
            "linkedin": "",
            "twitter": "",
            "website_url": "",
            "organization": "",
            "job_title": "",
            "pronouns": None,
            "bot": bool(user["bot"]),
            "work_information": None,
            "followers": 0,
            "following": 0,
            "is_followed": False,
            "local_time": None,
        }
    )
    if private:
        result.update(
            {
                "email": user["email"],
                "is_admin": bool(user["is_admin"]),
                "can_create_group": True,
                "can_create_project": True,
                "two_factor_enabled": False,
                "external": False,
                "private_profile": False,
                "namespace_id": user["namespace_id"],
                "last_activity_on": None,
                "confirmed_at": user["created_at"],
                "current_sign_in_at": None,
                "last_sign_in_at": None,
                "identities": [],
            }
        )
    return result


def namespace(view: View, row: Row) -> Json:
    return {
        "id": row["id"],
        "name": row["name"],
        "path": row["path"],
        "kind": row["kind"],
        "full_path": row["full_path"],
        "parent_id": row["parent_id"],
        "avatar_url": None,
        "web_url": view.url(
            row["full_path"] if row["kind"] == "user" else f"groups/{row['full_path']}"
        ),
    }


def group(view: View, row: Row) -> Json:
    full_name = " / ".join(_names(view.store, row))
    return {
        "id": row["id"],
        "web_url": view.url(f"groups/{row['full_path']}"),
        "name": row["name"],
        "path": row["path"],
        "description": row["description"],
        "visibility": row["visibility"],
        "share_with_group_lock": False,
        "require_two_factor_authentication": False,
        "two_factor_grace_period": 48,
        "project_creation_level": "developer",
        "auto_devops_enabled": None,
        "subgroup_creation_level": "maintainer",
        "emails_disabled": False,
        "emails_enabled": True,
        "mentions_disabled": None,
        "lfs_enabled": True,
        "default_branch": None,
        "avatar_url": None,
        "request_access_enabled": True,
        "full_name": full_name,
        "full_path": row["full_path"],
        "created_at": row["created_at"],
        "parent_id": row["parent_id"],
        "organization_id": 1,
        "shared_runners_setting": "enabled",
        "ldap_cn": None,
        "ldap_access": None,
        "marked_for_deletion_on": None,
    }


def _names(store: Store, row: Row) -> list[str]:
    names = [str(row["name"])]
    parent = row["parent_id"]
    while parent is not None:
        above = store.one("SELECT name, parent_id FROM namespaces WHERE id = ?", [parent])
        if above is None:
            break
        names.insert(0, str(above["name"]))
        parent = above["parent_id"]
    return names


def project_identity(view: View, row: Row) -> Json:
    """GitLab's BasicProjectDetails: what boards embed and what `simple=true` lists return."""
    owner = view.store.one("SELECT * FROM namespaces WHERE id = ?", [row["namespace_id"]])
    assert owner is not None
    names = [*_names(view.store, owner), row["name"]]
    host = view.base_url.split("://", 1)[-1].split("/")[0].split(":")[0]
    return {
        "id": row["id"],
        "description": row["description"],
        "name": row["name"],
        "name_with_namespace": " / ".join(names),
        "path": row["path"],
        "path_with_namespace": row["full_path"],
        "created_at": row["created_at"],
        "default_branch": "main",
        "tag_list": [],
        "topics": [],
        "ssh_url_to_repo": f"git@{host}:{row['full_path']}.git",
        "http_url_to_repo": view.url(f"{row['full_path']}.git"),
        "web_url": view.url(row["full_path"]),
        "readme_url": None,
        "forks_count": 0,
        "avatar_url": None,
        "star_count": 0,
        "last_activity_at": row["last_activity_at"],
        "namespace": namespace(view, owner),
    }


def listed_project(view: View, row: Row, *, simple: bool) -> Json:
    return project_identity(view, row) if simple else project(view, row)


def project(view: View, row: Row) -> Json:
    result = project_identity(view, row)
    result.update(
        {
            "visibility": row["visibility"],
            "creator_id": row["creator_id"],
            "archived": False,
            "empty_repo": True,
            "issues_enabled": True,
            "merge_requests_enabled": True,
            "wiki_enabled": True,
            "jobs_enabled": True,
            "snippets_enabled": True,
            "issues_access_level": "enabled",
            "open_issues_count": view.store.scalar(
                "SELECT COUNT(*) FROM issues WHERE project_id = ? AND state = 'opened'",
                [row["id"]],
            ),
            "shared_with_groups": _shared_with(view, row),
            "_links": {
                "self": view.url(f"api/v4/projects/{row['id']}"),
                "issues": view.url(f"api/v4/projects/{row['id']}/issues"),
                "labels": view.url(f"api/v4/projects/{row['id']}/labels"),
                "members": view.url(f"api/v4/projects/{row['id']}/members"),
            },
        }
    )
    return result


def _shared_with(view: View, row: Row) -> list[Json]:
    links = view.store.all(
        "SELECT n.id, n.name, n.full_path, l.access_level FROM project_group_links l "
        "JOIN namespaces n ON n.id = l.group_id WHERE l.project_id = ? ORDER BY n.id",
        [row["id"]],
    )
    return [
        {
            "group_id": link["id"],
            "group_name": link["name"],
            "group_full_path": link["full_path"],
            "group_access_level": link["access_level"],
            "expires_at": None,
        }
        for link in links
    ]


def member(view: View, user: Row, membership: Row) -> Json:
    result = user_basic(view, user)
    result.update(
        {
            "access_level": membership["access_level"],
            "created_at": membership["created_at"],
            "expires_at": membership["expires_at"],
            "membership_state": "active",
            "locked": False,
        }
    )
    return result
