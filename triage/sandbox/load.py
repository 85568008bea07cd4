"""The sandbox under load: the `gitlab-com` profile's rate limits, latency and faults.

`self-managed` (the default) has GitLab's default of throttles off. `gitlab-com` applies the
limits GitLab.com publishes: 2,000 authenticated API requests a minute per user (500 a minute
per IP address without a token), 200 issue creations a minute per project and user, 60 note
creations a minute per user. Every API response then carries the RateLimit-* headers of the
general throttle. Latency and faults work under either profile. All of it can be switched at
runtime through POST /-/sandbox/settings.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any
from urllib.parse import unquote

from flask import Flask, Response, current_app, g, request

from triage.sandbox import ratelimit
from triage.sandbox.faults import Faults
from triage.sandbox.ratelimit import RateLimiter, Window
from triage.sandbox.store import Store

PROFILES = ("self-managed", "gitlab-com")
GITLAB_COM_LIMITS = {
    "api_limit": 2000,
    "unauthenticated_limit": 500,
    "issue_limit": 200,
    "note_limit": 60,
}
ISSUE_CREATE = "/api/v4/projects/<id:project_id>/issues"
NOTE_CREATE = "/api/v4/projects/<id:project_id>/issues/<int:issue_iid>/notes"


@dataclass
class LoadSettings:
    profile: str = "self-managed"
    latency_ms: int = 0
    fault_rate: float = 0.0
    api_limit: int = GITLAB_COM_LIMITS["api_limit"]
    unauthenticated_limit: int = GITLAB_COM_LIMITS["unauthenticated_limit"]
    issue_limit: int = GITLAB_COM_LIMITS["issue_limit"]
    note_limit: int = GITLAB_COM_LIMITS["note_limit"]


@dataclass
class Load:
    """Settings and state of the load simulation of one sandbox."""

    store: Store
    settings: LoadSettings = field(default_factory=LoadSettings)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    faults: Faults = field(default_factory=Faults)

    def describe(self) -> dict[str, Any]:
        return asdict(self.settings)

    def update(self, values: dict[str, Any]) -> str | None:
        """Apply admin settings; answers an error message, or None when all were applied."""
        error = _check(values)
        if error:
            return error
        if "profile" in values:
            self.settings.profile = str(values["profile"])
            for name, limit in GITLAB_COM_LIMITS.items():
                setattr(self.settings, name, limit)
        for item in fields(LoadSettings):
            if item.name in values and item.name != "profile":
                kind = float if item.name == "fault_rate" else int
                setattr(self.settings, item.name, kind(values[item.name]))
        if "seed" in values:
            self.faults.reseed(int(values["seed"]))
        if any(item.name in values for item in fields(LoadSettings)):
            self.limiter.reset()
        return None


def _check(values: dict[str, Any]) -> str | None:
    if "profile" in values and values["profile"] not in PROFILES:
        return f"profile: one of {', '.join(PROFILES)}"
    if "fault_rate" in values and not 0 <= float(values["fault_rate"]) <= 1:
        return "fault_rate: between 0 and 1"
    if "latency_ms" in values and int(values["latency_ms"]) < 0:
        return "latency_ms: 0 or more"
    for name in GITLAB_COM_LIMITS:
        if name in values and int(values[name]) < 1:
            return f"{name}: 1 or more"
    return None


def load_of(app: Flask | None = None) -> Load:
    found: Load = (app or current_app).extensions["sandbox_load"]
    return found


def install(app: Flask, store: Store, gates: list[Any], values: dict[str, Any]) -> Load:
    """Attach the load simulation to `app`: gates before API requests, headers after."""
    load = Load(store)
    error = load.update(values)
    if error:
        raise ValueError(error)
    app.extensions["sandbox_load"] = load
    gates.extend([_delay, _fail, _throttle])

    @app.after_request
    def rate_limit_headers(response: Response) -> Response:
        window: Window | None = g.get("sandbox_window")
        if window is not None and "RateLimit-Limit" not in response.headers:
            response.headers.update(window.headers(load.store.now().timestamp()))
        return response

    return load


def _delay() -> Response | None:
    latency = load_of().settings.latency_ms
    if latency:
        time.sleep(latency / 1000)
    return None


def _fail() -> Response | None:
    return load_of().faults.draw(load_of().settings.fault_rate)


def _throttle() -> Response | None:
    load = load_of()
    if load.settings.profile != "gitlab-com":
        return None
    now = load.store.now().timestamp()
    user_id = _user_id(load.store)
    if user_id is None:
        window = load.limiter.hit(
            ratelimit.UNAUTHENTICATED_API,
            (request.remote_addr,),
            load.settings.unauthenticated_limit,
            now,
        )
    else:
        window = load.limiter.hit(
            ratelimit.AUTHENTICATED_API, (user_id,), load.settings.api_limit, now
        )
    g.sandbox_window = window
    if window.exceeded:
        return ratelimit.throttled(window, now)
    return _endpoint_limit(load, user_id, now)


def _endpoint_limit(load: Load, user_id: int | None, now: float) -> Response | None:
    rule = request.url_rule.rule if request.url_rule is not None else None
    if request.method != "POST" or user_id is None or rule not in (ISSUE_CREATE, NOTE_CREATE):
        return None
    if rule == ISSUE_CREATE:
        project = _project_id(load.store, str((request.view_args or {}).get("project_id")))
        window = load.limiter.hit(
            "issues_create", (project, user_id), load.settings.issue_limit, now
        )
    else:
        window = load.limiter.hit("notes_create", (user_id,), load.settings.note_limit, now)
    return ratelimit.endpoint_limited() if window.exceeded else None


def _user_id(store: Store) -> int | None:
    """The token owner: GitLab throttles the user a token belongs to (Sudo or not)."""
    authorization = request.headers.get("Authorization", "")
    token = (
        request.headers.get("PRIVATE-TOKEN")
        or request.headers.get("JOB-TOKEN")
        or (authorization[7:].strip() if authorization.lower().startswith("bearer ") else None)
        or request.args.get("private_token")
        or request.args.get("access_token")
    )
    if not token:
        return None
    with store.lock:
        found = store.scalar("SELECT user_id FROM tokens WHERE token = ? AND revoked = 0", [token])
    return None if found is None else int(found)


def _project_id(store: Store, ident: str) -> int | str:
    text = unquote(ident)
    with store.lock:
        found = store.scalar("SELECT id FROM projects WHERE id = ? OR full_path = ?", [text, text])
    return text if found is None else int(found)
