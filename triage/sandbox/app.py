"""The sandbox's app factory: GitLab REST API v4 under /api/v4, admin API under /-/sandbox."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from triage.sandbox.errors import ApiError
from triage.sandbox.load import install as install_load
from triage.sandbox.routing import CONVERTERS, RawPath
from triage.sandbox.store import Settings, Store
from triage.sandbox.traffic import (
    BAD_GATEWAY_BODY,
    LostResponses,
    RequestCounter,
    route_name,
)
from triage.sandbox.web import is_web_path
from triage.sandbox.web import not_found as not_found_page

API_PREFIX = "/api/v4"
ADMIN_PREFIX = "/-/sandbox"
log = logging.getLogger("triage.sandbox")


@dataclass
class SandboxConfig:
    """How to start a sandbox; see `salsatam sandbox serve --help`."""

    root_token: str = field(default_factory=lambda: f"glpat-{secrets.token_urlsafe(15)}")
    db: str = ":memory:"
    tier: str = "free"
    lost_response_rate: float = 0.0
    lost_response_scope: str = "writes"
    seed: int = 0
    seed_data: dict[str, Any] | None = None
    profile: str = "self-managed"
    latency_ms: int = 0
    fault_rate: float = 0.0


Gate = Callable[[], Response | None]


@dataclass
class Sandbox:
    """Everything one running sandbox shares between requests.

    `gates` run before every API request, outside the data lock; the first one that answers
    a response ends the request there (the place for latency, rate limits and outages).
    """

    store: Store
    counter: RequestCounter
    lost: LostResponses
    gates: list[Gate] = field(default_factory=list)


def create_app(config: SandboxConfig | None = None) -> Flask:
    config = config or SandboxConfig()
    settings = Settings(
        tier=config.tier,
        lost_response_rate=config.lost_response_rate,
        lost_response_scope=config.lost_response_scope,
        seed=config.seed,
    )
    store = Store(root_token=config.root_token, path=config.db, settings=settings)
    app = Flask("triage.sandbox")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.url_map.converters.update(CONVERTERS)
    app.wsgi_app = RawPath(app.wsgi_app)  # type: ignore[method-assign]
    app.extensions["sandbox"] = Sandbox(store, RequestCounter(), LostResponses(settings))
    _register(app)
    _install_request_cycle(app)
    _install_error_handlers(app)
    install_load(
        app,
        store,
        sandbox_of(app).gates,
        {
            "profile": config.profile,
            "latency_ms": config.latency_ms,
            "fault_rate": config.fault_rate,
            "seed": config.seed,
        },
    )
    if config.seed_data:
        from triage.sandbox.seeding import load_seed

        load_seed(store, config.seed_data)
    return app


def sandbox_of(app: Flask) -> Sandbox:
    found: Sandbox = app.extensions["sandbox"]
    return found


def _register(app: Flask) -> None:
    from triage.sandbox.admin_api import blueprint as admin
    from triage.sandbox.api import blueprints
    from triage.sandbox.notifications_api import blueprint as notifications
    from triage.sandbox.web import blueprint as web

    for blueprint in blueprints():
        app.register_blueprint(blueprint, url_prefix=API_PREFIX)
    app.register_blueprint(admin, url_prefix=ADMIN_PREFIX)
    app.register_blueprint(notifications, url_prefix=ADMIN_PREFIX)
    app.register_blueprint(web)  # read-only pages at GitLab's web URLs; see web.py


def _install_request_cycle(app: Flask) -> None:
    sandbox = sandbox_of(app)

    @app.before_request
    def begin() -> Response | None:
        g.sandbox_started = time.perf_counter()
        if request.path.startswith(API_PREFIX):
            for gate in sandbox.gates:
                answer = gate()
                if answer is not None:
                    return answer
        sandbox.store.lock.acquire()
        g.sandbox_locked = True
        if request.path.startswith(API_PREFIX):
            sandbox.store.db.execute("BEGIN")
        return None

    @app.after_request
    def finish(response: Response) -> Response:
        store = sandbox.store
        if g.get("sandbox_locked") and store.db.in_transaction:
            store.db.execute("COMMIT" if response.status_code < 400 else "ROLLBACK")
        if request.path.startswith(API_PREFIX):
            rule = request.url_rule.rule if request.url_rule is not None else None
            sandbox.counter.record(request.method, route_name(request.method, rule))
            if (
                response.status_code < 400
                and g.get("sandbox_locked")
                and sandbox.lost.lose(request.method)
            ):
                response = Response(BAD_GATEWAY_BODY, status=502, content_type="text/html")
        elapsed = (time.perf_counter() - g.get("sandbox_started", time.perf_counter())) * 1000
        log.info("%s %s %s %.1fms", request.method, request.path, response.status_code, elapsed)
        return response

    @app.teardown_request
    def release(_error: BaseException | None) -> None:
        store = sandbox.store
        if g.pop("sandbox_locked", False):
            if store.db.in_transaction:
                store.db.execute("ROLLBACK")
            store.lock.release()


def _install_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> tuple[Response, int]:
        return jsonify(error.body), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        code = error.code or 500
        if code in (404, 405) and is_web_path(request.path):
            return not_found_page(), 404
        if code in (404, 405):
            # GitLab's API ends in a catch-all route that answers every unknown route, a
            # known path asked with another method included, with this 404.
            return jsonify({"error": "404 Not Found"}), 404
        return jsonify({"error": f"{code} {error.name}"}), code

    @app.errorhandler(Exception)
    def crash(error: Exception) -> tuple[Response, int]:
        log.exception("sandbox error on %s %s", request.method, request.path)
        return jsonify({"message": "500 Internal Server Error"}), 500
