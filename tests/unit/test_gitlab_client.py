"""The connection against a tiny scripted HTTP server: retries, rate limits, redaction."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from triage.gitlab.client import Connection, connect
from triage.gitlab.errors import GitLabError

TOKEN = "glpat-secret-token-1234"
Reply = tuple[int, dict[str, str], Any]


class Script:
    """Replies to hand out in order per method and path; the last one repeats."""

    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = {}
        self.seen: list[tuple[str, str]] = []

    def on(self, method: str, path: str, *replies: Reply) -> None:
        self.replies[f"{method} {path}"] = list(replies)

    def next(self, method: str, path: str) -> Reply:
        self.seen.append((method, path))
        queue = self.replies.get(f"{method} {path.split('?')[0]}", [(404, {}, {"error": "404"})])
        return queue.pop(0) if len(queue) > 1 else queue[0]


def handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            status, headers, body = script.next(self.command, self.path)
            if status == 0:  # drop the connection without an answer
                self.close_connection = True
                self.wfile.flush()
                self.connection.shutdown(2)
                return
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = reply

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[Script, str]]:
    script = Script()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler(script))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield script, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def connection(url: str) -> Connection:
    return connect(url, TOKEN, timeout=5, read_backoff=0)


def test_reads_are_retried_after_5xx_and_counted(server: tuple[Script, str]) -> None:
    script, url = server
    script.on(
        "GET",
        "/api/v4/projects/1",
        (502, {}, "<html>bad gateway</html>"),
        (503, {}, {"message": "busy"}),
        (200, {}, {"id": 1}),
    )
    conn = connection(url)
    assert conn.get("/projects/1") == {"id": 1}
    assert conn.requests == 3 and conn.writes == 0


def test_reads_give_up_after_five_attempts(server: tuple[Script, str]) -> None:
    script, url = server
    script.on("GET", "/api/v4/projects/1", (500, {}, {"message": "500 Internal Server Error"}))
    conn = connection(url)
    with pytest.raises(GitLabError) as caught:
        conn.get("/projects/1")
    assert caught.value.status == 500 and caught.value.outcome_unknown
    assert conn.requests == 5


def test_a_post_answered_with_5xx_is_not_sent_again(server: tuple[Script, str]) -> None:
    script, url = server
    script.on(
        "POST",
        "/api/v4/projects/1/issues",
        (502, {}, "<html><head><title>bad gateway</title></head></html>"),
    )
    conn = connection(url)
    with pytest.raises(GitLabError) as caught:
        conn.post("/projects/1/issues", {"title": "x"})
    assert caught.value.status == 502 and caught.value.outcome_unknown
    assert str(caught.value) == "502: bad gateway"
    assert conn.requests == 1 and conn.writes == 1


def test_a_dropped_connection_on_post_is_an_unknown_outcome(server: tuple[Script, str]) -> None:
    script, url = server
    script.on("POST", "/api/v4/projects/1/issues", (0, {}, ""))
    conn = connection(url)
    with pytest.raises(GitLabError) as caught:
        conn.post("/projects/1/issues", {"title": "x"})
    assert caught.value.status is None and caught.value.outcome_unknown
    assert conn.requests == 1


def test_429_waits_for_retry_after_for_any_method(server: tuple[Script, str]) -> None:
    script, url = server
    limited = (429, {"Retry-After": "1"}, "Retry later")
    script.on("POST", "/api/v4/projects/1/issues", limited, (201, {}, {"id": 5, "iid": 1}))
    conn = connection(url)
    started = time.monotonic()
    assert conn.post("/projects/1/issues", {"title": "x"})["iid"] == 1
    assert time.monotonic() - started >= 1.0
    assert conn.requests == 2


def test_429_without_retry_after_falls_back_to_ratelimit_reset(
    server: tuple[Script, str],
) -> None:
    script, url = server
    body = {"message": {"error": "This endpoint has been requested too many times."}}
    reset = str(int(time.time()))  # already passed: no wait
    script.on(
        "POST",
        "/api/v4/projects/1/issues/1/notes",
        (429, {"RateLimit-Reset": reset}, body),
        (429, {}, body),
        (201, {}, {"id": 9}),
    )
    conn = connection(url)
    assert conn.post("/projects/1/issues/1/notes", {"body": "x"}) == {"id": 9}
    assert conn.requests == 3


def test_rate_limit_retries_are_bounded(server: tuple[Script, str]) -> None:
    script, url = server
    script.on("GET", "/api/v4/projects/1", (429, {"Retry-After": "0"}, "Retry later"))
    conn = connect(url, TOKEN, read_backoff=0, max_rate_limit_retries=2)
    with pytest.raises(GitLabError) as caught:
        conn.get("/projects/1")
    assert caught.value.status == 429 and not caught.value.outcome_unknown
    assert conn.requests == 3


def test_conflict_and_not_found_are_plain_failures(server: tuple[Script, str]) -> None:
    script, url = server
    script.on("POST", "/api/v4/projects/1/labels", (409, {}, {"message": "Label already exists"}))
    conn = connection(url)
    with pytest.raises(GitLabError) as caught:
        conn.post("/projects/1/labels", {"name": "a", "color": "#fff"})
    assert caught.value.conflict and str(caught.value) == "409: Label already exists"


def test_token_never_appears_in_errors_or_repr(server: tuple[Script, str]) -> None:
    script, url = server
    echo = {"message": f"token {TOKEN} is not valid"}
    script.on("GET", "/api/v4/user", (401, {}, echo))
    conn = connection(url)
    with pytest.raises(GitLabError) as caught:
        conn.get("/user")
    assert caught.value.status == 401
    for text in (str(caught.value), repr(caught.value), repr(conn), caught.value.message):
        assert TOKEN not in text
    assert "[REDACTED]" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_token_is_not_in_connection_errors() -> None:
    conn = connect("http://127.0.0.1:9", TOKEN, timeout=1, read_backoff=0)
    with pytest.raises(GitLabError) as caught:
        conn.get("/projects/1")
    assert TOKEN not in str(caught.value) and caught.value.status is None
    assert conn.requests == 5


def test_an_unreadable_retry_after_does_not_fail_the_warning() -> None:
    from triage.gitlab.client import retry_wait

    assert retry_wait({"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}) == 0.1
    assert retry_wait({"Retry-After": "7"}) == 7.0
