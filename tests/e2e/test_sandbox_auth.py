"""Users, tokens, Sudo, and the python-gitlab exceptions GitLab's errors cause."""

from __future__ import annotations

from typing import Any

import gitlab
import pytest
import requests

pytestmark = pytest.mark.e2e


def test_admin_creates_users_and_tokens_that_work(sandbox: Any) -> None:
    gl = sandbox.gitlab()
    user = gl.users.create(
        {
            "username": "tam",
            "name": "Tess",
            "email": "tam@example.com",
            "password": "secret-password-1",
        }
    )
    token = user.personal_access_tokens.create(
        {"name": "bot", "scopes": ["api"], "expires_at": "2999-01-01"}
    )
    as_user = sandbox.gitlab(token=token.token)
    as_user.auth()
    assert as_user.user.username == "tam" and token.scopes == ["api"]
    assert gl.users.list(username="tam")[0].id == user.id
    assert gl.users.get(user.id).name == "Tess"
    with pytest.raises(gitlab.GitlabCreateError) as taken:
        gl.users.create(
            {
                "username": "tam",
                "name": "x",
                "email": "x@example.com",
                "password": "secret-password-1",
            }
        )
    assert taken.value.response_code == 409


def test_bearer_header_and_read_only_tokens(sandbox: Any) -> None:
    ids = sandbox.seed({"users": [{"username": "tam"}], "groups": [{"path": "acme"}]})
    user_id = ids["users"]["tam"]["id"]
    read_only = (
        sandbox.gitlab()
        .users.get(user_id)
        .personal_access_tokens.create({"name": "ro", "scopes": ["read_api"]})
    )
    bearer = requests.get(
        f"{sandbox.url}/api/v4/user",
        timeout=10,
        headers={"Authorization": f"Bearer {read_only.token}"},
    )
    assert bearer.json()["username"] == "tam"
    with pytest.raises(gitlab.GitlabCreateError) as denied:
        sandbox.gitlab(token=read_only.token).groups.create({"name": "x", "path": "x"})
    assert denied.value.response_code == 403


def test_sudo_acts_as_the_user_and_needs_an_admin(sandbox: Any) -> None:
    ids = sandbox.seed(
        {
            "users": [{"username": "tam"}, {"username": "sa"}],
            "groups": [{"path": "acme", "members": [{"username": "tam", "access_level": 30}]}],
            "projects": [{"path": "acme/p"}],
        }
    )
    as_tam = sandbox.gitlab(sudo="tam")
    as_tam.auth()
    assert as_tam.user.username == "tam"
    issue = as_tam.projects.get("acme/p").issues.create({"title": "By tam"})
    assert issue.author["username"] == "tam"
    by_id = sandbox.gitlab(sudo=ids["users"]["sa"]["id"])
    with pytest.raises(gitlab.GitlabGetError) as hidden:
        by_id.projects.get("acme/p")
    assert hidden.value.response_code == 404
    with pytest.raises(gitlab.GitlabGetError) as not_admin:
        sandbox.gitlab(token="token-tam", sudo="sa").projects.get("acme/p")
    assert not_admin.value.response_code == 403
    with pytest.raises(gitlab.GitlabGetError) as unknown:
        sandbox.gitlab(sudo="nobody").projects.get("acme/p")
    assert unknown.value.error_message == "404 User with ID or username 'nobody' Not Found"


def test_bad_token_raises_authentication_error(sandbox: Any) -> None:
    with pytest.raises(gitlab.GitlabAuthenticationError) as error:
        sandbox.gitlab(token="wrong").projects.list()
    assert error.value.response_code == 401
    assert error.value.error_message == "401 Unauthorized"


def test_duplicate_label_raises_409_and_missing_label_404(sandbox: Any) -> None:
    sandbox.seed(
        {
            "groups": [{"path": "acme", "labels": [{"name": "team"}]}],
            "projects": [{"path": "acme/p", "labels": [{"name": "health::red"}]}],
        }
    )
    project = sandbox.gitlab().projects.get("acme/p")
    for name in ("health::red", "team"):
        with pytest.raises(gitlab.GitlabCreateError) as duplicate:
            project.labels.create({"name": name, "color": "#ff0000"})
        assert duplicate.value.response_code == 409
        assert duplicate.value.error_message == "Label already exists"
    with pytest.raises(gitlab.GitlabGetError) as missing:
        project.labels.get("nope")
    assert missing.value.error_message == "404 Label Not Found"


def test_label_crud_through_both_update_forms(sandbox: Any) -> None:
    sandbox.seed({"groups": [{"path": "acme"}], "projects": [{"path": "acme/p"}]})
    project = sandbox.gitlab().projects.get("acme/p")
    label = project.labels.create(
        {"name": "health::red", "color": "#FF0000", "description": "Red", "priority": 1}
    )
    label.description = "At risk"
    label.save()
    project.labels.update("health::red", {"new_name": "health::critical"})
    fetched = project.labels.get("health::critical")
    assert (fetched.description, fetched.priority, fetched.text_color) == ("At risk", 1, "#FFFFFF")
    with pytest.raises(gitlab.GitlabCreateError) as invalid:
        project.labels.create({"name": "bad", "color": "red-ish"})
    assert invalid.value.response_code == 400
    project.labels.delete("health::critical")
    assert project.labels.list() == []
    assert project.labels.create({"name": "named", "color": "Red"}).color == "#ff0000"


def test_group_labels_crud(sandbox: Any) -> None:
    sandbox.seed({"groups": [{"path": "acme"}, {"path": "acme/customers"}]})
    gl = sandbox.gitlab()
    group = gl.groups.get("acme")
    label = group.labels.create({"name": "segment::enterprise", "color": "#428BCA"})
    label.description = "Enterprise"
    label.save()
    assert [(lbl.name, lbl.description) for lbl in group.labels.list()] == [
        ("segment::enterprise", "Enterprise")
    ]
    sub = gl.groups.get("acme/customers")
    assert [lbl.name for lbl in sub.labels.list()] == ["segment::enterprise"]
    assert sub.labels.list(include_ancestor_groups=False) == []
    group.labels.delete(label.id)
    assert group.labels.list() == []


def test_unknown_routes_answer_like_gitlab(sandbox: Any) -> None:
    sandbox.seed(
        {
            "groups": [{"path": "acme"}, {"path": "acme/customers"}],
            "projects": [{"path": "acme/customers/globex", "labels": [{"name": "a/b"}]}],
        }
    )
    project_id = sandbox.gitlab().projects.get("acme/customers/globex").id
    sandbox.reset_requests()
    unknown = [
        ("GET", "/nothing/here"),
        ("GET", f"/projects/{project_id}/nope"),
        ("GET", "/groups/acme/nope"),
        ("GET", "/groups/acme%2Fcustomers/nope"),
        ("POST", f"/projects/{project_id}/issues/1/nope"),
        ("GET", "/projects/acme/customers/globex"),
        ("PUT", "/version"),
        ("DELETE", f"/projects/{project_id}/issues"),
    ]
    for method, path in unknown:
        response = requests.request(
            method,
            f"{sandbox.url}/api/v4{path}",
            timeout=10,
            headers={"PRIVATE-TOKEN": sandbox.token},
        )
        assert (method, path, response.status_code, response.json()) == (
            method,
            path,
            404,
            {"error": "404 Not Found"},
        )
    assert sandbox.requests()["by_route"] == {
        "DELETE (unknown)": 1,
        "GET (unknown)": 5,
        "POST (unknown)": 1,
        "PUT (unknown)": 1,
    }

    known = [
        "/projects/acme%2Fcustomers%2Fglobex",
        "/projects/acme%2fcustomers%2fglobex/issues",
        f"/projects/{project_id}/labels/a%2Fb",
        "/groups/acme%2Fcustomers/projects",
    ]
    for path in known:
        response = requests.get(
            f"{sandbox.url}/api/v4{path}", timeout=10, headers={"PRIVATE-TOKEN": sandbox.token}
        )
        assert (path, response.status_code) == (path, 200)
    label = requests.get(
        f"{sandbox.url}/api/v4/projects/{project_id}/labels/a%2Fb",
        timeout=10,
        headers={"PRIVATE-TOKEN": sandbox.token},
    )
    assert label.json()["name"] == "a/b"
