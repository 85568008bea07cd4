"""Groups, subgroups, projects and members through python-gitlab over HTTP."""

from __future__ import annotations

from typing import Any

import gitlab
import pytest

pytestmark = pytest.mark.e2e


def test_groups_subgroups_and_projects_are_found_by_full_path(sandbox: Any) -> None:
    gl = sandbox.gitlab()
    top = gl.groups.create({"name": "Account Management", "path": "account-management"})
    customers = gl.groups.create({"name": "Customers", "path": "customers", "parent_id": top.id})
    project = gl.projects.create({"name": "Globex", "path": "globex", "namespace_id": customers.id})

    assert project.path_with_namespace == "account-management/customers/globex"
    assert project.web_url == f"{sandbox.url}/account-management/customers/globex"
    assert gl.projects.get("account-management/customers/globex").id == project.id
    found = gl.groups.get("account-management/customers")
    assert (found.id, found.parent_id, found.full_name) == (
        customers.id,
        top.id,
        "Account Management / Customers",
    )
    assert [group.path for group in top.subgroups.list()] == ["customers"]
    with pytest.raises(gitlab.GitlabGetError) as missing:
        gl.projects.get("account-management/nope")
    assert missing.value.response_code == 404
    assert missing.value.error_message == "404 Project Not Found"


def test_group_projects_skip_subgroups_unless_asked_and_include_shared(sandbox: Any) -> None:
    sandbox.seed(
        {
            "groups": [{"path": "acme"}, {"path": "acme/customers"}, {"path": "partners"}],
            "projects": [
                {"path": "acme/accounts"},
                {"path": "acme/customers/globex"},
                {"path": "partners/shared", "shared_with": [{"group": "acme"}]},
            ],
        }
    )
    group = sandbox.gitlab().groups.get("acme")

    def paths(**options: Any) -> set[str]:
        return {p.path_with_namespace for p in group.projects.list(get_all=True, **options)}

    assert paths() == {"acme/accounts", "partners/shared"}
    assert paths(with_shared=False) == {"acme/accounts"}
    assert paths(include_subgroups=True, with_shared=False) == {
        "acme/accounts",
        "acme/customers/globex",
    }


def test_members_all_inherits_from_ancestor_groups_with_the_highest_level(sandbox: Any) -> None:
    sandbox.seed(
        {
            "users": [{"username": "tam"}, {"username": "sa"}],
            "groups": [
                {"path": "acme", "members": [{"username": "tam", "access_level": 50}]},
                {"path": "acme/customers", "members": [{"username": "sa", "access_level": 20}]},
            ],
            "projects": [
                {
                    "path": "acme/customers/globex",
                    "members": [
                        {"username": "sa", "access_level": 40},
                        {"username": "tam", "access_level": 30},
                    ],
                }
            ],
        }
    )
    project = sandbox.gitlab().projects.get("acme/customers/globex")

    direct = {m.username: m.access_level for m in project.members.list(get_all=True)}
    inherited = {m.username: m.access_level for m in project.members_all.list(get_all=True)}

    assert direct == {"sa": 40, "tam": 30}
    assert inherited == {"sa": 40, "tam": 50}
    assert (
        project.members_all.get(
            sandbox.seed({"users": [{"username": "tam"}]})["users"]["tam"]["id"]
        ).access_level
        == 50
    )


def test_adding_members_and_the_errors_gitlab_gives(sandbox: Any) -> None:
    ids = sandbox.seed(
        {
            "users": [{"username": "tam"}, {"username": "guest"}],
            "groups": [{"path": "acme", "members": [{"username": "guest", "access_level": 10}]}],
        }
    )
    group = sandbox.gitlab().groups.get("acme")
    member = group.members.create({"user_id": ids["users"]["tam"]["id"], "access_level": 30})
    assert (member.username, member.access_level) == ("tam", 30)

    with pytest.raises(gitlab.GitlabCreateError) as duplicate:
        group.members.create({"user_id": ids["users"]["tam"]["id"], "access_level": 30})
    assert duplicate.value.response_code == 409

    as_guest = sandbox.gitlab(token=ids["users"]["guest"]["token"]).groups.get("acme")
    with pytest.raises(gitlab.GitlabCreateError) as denied:
        as_guest.members.create({"user_id": ids["users"]["tam"]["id"], "access_level": 50})
    assert denied.value.response_code == 403


def test_private_projects_are_hidden_from_non_members(sandbox: Any) -> None:
    ids = sandbox.seed(
        {
            "users": [{"username": "outsider"}],
            "groups": [{"path": "acme"}],
            "projects": [{"path": "acme/secret"}],
        }
    )
    outsider = sandbox.gitlab(token=ids["users"]["outsider"]["token"])
    with pytest.raises(gitlab.GitlabGetError) as hidden:
        outsider.projects.get("acme/secret")
    assert hidden.value.response_code == 404
    assert outsider.projects.list() == []
