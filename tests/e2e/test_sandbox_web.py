"""The sandbox's read-only web view: the pages behind the web URLs the API hands out."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from triage.sandbox.web_pages import FOOTER

pytestmark = pytest.mark.e2e

HOSTILE = (
    "Hello **team**, see [the plan](https://docs.example.com/plan).\n\n"
    "<script>alert(1)</script>\n\n"
    '<img src=x onerror="alert(2)">\n\n'
    "[x](javascript:alert(3)) and [y](JAVASCRIPT:alert(4)) and <javascript:alert(5)>\n\n"
    "[z](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==) "
    "![pixel](https://tracker.example.com/p.gif) [w](vbscript:msgbox(7))\n\n"
    '[q](https://ok.example.com/" onmouseover="alert(8))\n'
)

SEED: dict[str, Any] = {
    "users": [{"username": "tess", "name": "Tess Am"}, {"username": "bot", "name": "Bot"}],
    "groups": [
        {"path": "acme", "labels": [{"name": "tam::qualifying", "color": "#8fbc8f"}]},
    ],
    "projects": [
        {
            "path": "acme/accounts",
            "labels": [
                {"name": "health::red", "color": "#dd2b0e"},
                {"name": "health::green", "color": "#108548"},
                {"name": "account", "color": "#330066"},
            ],
        }
    ],
    "issues": [
        {
            "project": "acme/accounts",
            "title": "Borealis Bank",
            "description": "Renewal **at risk**:\n\n- budget cut\n- champion left\n",
            "author": "tess",
            "labels": ["account", "health::red"],
            "assignees": ["tess"],
            "due_date": "2026-04-01",
            "created_at": "2026-01-02T10:00:00Z",
            "notes": [
                {
                    "author": "tess",
                    "body": "Call booked with *finance*.",
                    "created_at": "2026-01-03T09:00:00Z",
                },
                {
                    "author": "bot",
                    "body": "added ~health::red label",
                    "system": True,
                    "created_at": "2026-01-04T09:00:00Z",
                },
            ],
        },
        {
            "project": "acme/accounts",
            "title": "Fjord Insurance",
            "labels": ["account", "health::green"],
            "created_at": "2026-01-03T10:00:00Z",
        },
        {
            "project": "acme/accounts",
            "title": "Old Closed Account",
            "labels": ["account", "health::red"],
            "state": "closed",
            "closed_at": "2026-01-05T00:00:00Z",
            "created_at": "2026-01-01T10:00:00Z",
        },
        {
            "project": "acme/accounts",
            "title": "Secret escalation",
            "description": HOSTILE,
            "labels": ["health::red", "tam::qualifying"],
            "confidential": True,
            "created_at": "2026-01-06T10:00:00Z",
        },
    ],
    "boards": [
        {
            "project": "acme/accounts",
            "name": "Account health",
            "lists": ["health::red", "health::green", "tam::qualifying"],
        }
    ],
}


def _get(sandbox: Any, path: str) -> requests.Response:
    return requests.get(f"{sandbox.url}{path}", timeout=10)


def _page(sandbox: Any, path: str) -> str:
    response = _get(sandbox, path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("text/html")
    assert FOOTER in response.text
    return response.text


def test_issue_web_url_opens_a_page_with_title_labels_description_and_notes(
    sandbox: Any,
) -> None:
    sandbox.seed(SEED)
    issue = sandbox.gitlab().projects.get("acme/accounts").issues.get(1)
    assert issue.web_url == f"{sandbox.url}/acme/accounts/-/issues/1"
    response = requests.get(issue.web_url, timeout=10)
    assert response.status_code == 200
    text = response.text
    assert "<h1>Borealis Bank</h1>" in text
    assert "<strong>at risk</strong>" in text and "<li>champion left</li>" in text
    assert re.search(r"background: #dd2b0e[^>]*>health</span>\s*<span class=\"value\">red", text)
    assert "background: #330066" in text and ">account</span>" in text
    assert "Tess Am" in text and "2026-04-01" in text and "2026-01-02 10:00 UTC" in text
    assert "<em>finance</em>" in text
    assert re.search(r'class="note system"[^>]*>· Bot\s+added ~health::red label', text)
    assert text.index("Call booked") < text.index("added ~health::red label")
    assert "Open" in text and "Confidential" not in text.split("<main>")[1].split("<h2>")[0]
    assert FOOTER in text


def test_hostile_description_is_inert(sandbox: Any) -> None:
    sandbox.seed(SEED)
    text = _page(sandbox, "/acme/accounts/-/issues/4")
    body = text.split("<main>", 1)[1]
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img" not in body.lower()
    assert "&lt;img src=x onerror=" in body
    hrefs = re.findall(r'href="([^"]*)"', body)
    assert hrefs, body
    for href in hrefs:
        assert href.startswith(("/", "https://", "http://")), href
    for tag in re.findall(r"<[a-z][^>]*>", body):  # every element and attribute the page has
        lowered = tag.lower()
        assert not re.search(r"\son[a-z]+=", lowered), tag
        for scheme in ("javascript:", "vbscript:", "data:"):
            assert scheme not in lowered, tag
    assert 'href="https://docs.example.com/plan"' in body
    assert "[x](javascript:alert(3))" in body  # left as text
    assert "[image: pixel]" in body  # an image is a link, never fetched
    assert "Confidential" in body
    csp = _get(sandbox, "/acme/accounts/-/issues/4").headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_hostile_title_and_label_names_are_escaped(sandbox: Any) -> None:
    sandbox.seed(
        {
            "projects": [{"path": "root/p"}],
            "issues": [
                {
                    "project": "root/p",
                    "title": '<script>alert("t")</script>',
                    "labels": ['"><img src=x onerror=alert(1)>'],
                }
            ],
        }
    )
    for path in ("/root/p/-/issues/1", "/root/p/-/issues", "/"):
        text = _page(sandbox, path)
        assert "<script" not in text and "<img" not in text, path


def test_board_page_shows_lists_in_order_with_their_open_issues(sandbox: Any) -> None:
    answer = sandbox.seed(SEED)
    board_id = answer["boards"]["acme/accounts:Account health"]
    for path in ("/acme/accounts/-/boards", f"/acme/accounts/-/boards/{board_id}"):
        text = _page(sandbox, path)
        columns = text.split('<div class="column">')[1:]
        assert len(columns) == 3
        heads = [re.search(r"title=\"([^\"]+)\"", column)[1] for column in columns]  # type: ignore[index]
        assert heads == ["health::red", "health::green", "tam::qualifying"]
        titles = [
            re.findall(r'<div class="card">\s*<a href="[^"]+">([^<]+)</a>', c) for c in columns
        ]
        assert titles == [
            ["Borealis Bank", "Secret escalation"],  # not the closed one
            ["Fjord Insurance"],
            ["Secret escalation"],
        ]
        assert 'href="/acme/accounts/-/issues/1"' in text
    assert _get(sandbox, f"/acme/accounts/-/boards/{board_id + 100}").status_code == 404


def test_lists_project_group_user_and_home_pages(sandbox: Any) -> None:
    sandbox.seed(SEED)
    listing = _page(sandbox, "/acme/accounts/-/issues")
    order = [
        listing.index(title)
        for title in ("Secret escalation", "Fjord Insurance", "Borealis Bank", "Old Closed Account")
    ]
    assert order == sorted(order)  # open (newest first), then closed
    assert "3 open, 1 closed" in listing
    project = _page(sandbox, "/acme/accounts")
    assert 'href="/acme/accounts/-/issues"' in project and "Account health" in project
    group = sandbox.gitlab().groups.get("acme")
    assert 'href="/acme/accounts"' in requests.get(group.web_url, timeout=10).text
    assert "Borealis Bank" in _page(sandbox, "/tess")
    home = _page(sandbox, "/")
    assert 'href="/groups/acme"' in home and 'href="/acme/accounts"' in home


def test_unknown_pages_answer_html_404_and_the_api_keeps_its_own(sandbox: Any) -> None:
    sandbox.seed(SEED)
    for path in (
        "/nope",
        "/acme/accounts/-/issues/99",
        "/acme/nope/-/issues/1",
        "/acme/accounts/-/wiki",
        "/groups/nope",
        "/acme/accounts/-/boards/x",
    ):
        response = _get(sandbox, path)
        assert response.status_code == 404, path
        assert response.headers["Content-Type"].startswith("text/html"), path
        assert FOOTER in response.text
    for path in ("/api/v4/nope", "/api/v4/projects/1/nope", "/-/sandbox/nope", "/api/nope"):
        response = _get(sandbox, path)
        assert response.status_code == 404, path
        assert response.headers["Content-Type"] == "application/json", path
    api = requests.get(
        f"{sandbox.url}/api/v4/projects/acme%2Faccounts/issues/1",
        headers={"PRIVATE-TOKEN": sandbox.token},
        timeout=10,
    )
    assert api.status_code == 200 and api.json()["title"] == "Borealis Bank"
    assert requests.post(f"{sandbox.url}/acme/accounts", timeout=10).status_code == 404


def test_pages_are_not_counted_as_api_requests(sandbox: Any) -> None:
    answer = sandbox.seed(SEED)
    sandbox.reset_requests()
    before = sandbox.requests()
    for path in (
        "/",
        "/acme/accounts",
        "/acme/accounts/-/issues",
        "/acme/accounts/-/issues/1",
        "/acme/accounts/-/boards",
        "/groups/acme",
        "/tess",
        "/nope",
        f"/acme/accounts/-/boards/{answer['boards']['acme/accounts:Account health']}",
    ):
        _get(sandbox, path)
    assert sandbox.requests() == before
    assert before["total"] == 0
