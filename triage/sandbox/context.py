"""Per-request context: store, the acting user, parameters and the serializer view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, g, jsonify, request

from triage.sandbox.auth import Actor, authenticate
from triage.sandbox.pagination import Page, headers
from triage.sandbox.params import Params
from triage.sandbox.serialize import View
from triage.sandbox.store import Store


@dataclass(frozen=True)
class Call:
    store: Store
    actor: Actor
    params: Params
    view: View


def store() -> Store:
    found: Store = current_app.extensions["sandbox"].store
    return found


def call() -> Call:
    """The current request's context, built once per request."""
    existing: Call | None = g.get("sandbox_call")
    if existing is not None:
        return existing
    data = store()
    params = Params.from_request(request)
    actor = authenticate(data, request, params)
    actor.require_scope(write=request.method not in ("GET", "HEAD"))
    made = Call(data, actor, params, View(data, request.host_url.rstrip("/")))
    g.sandbox_call = made
    return made


def reply(body: Any, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response


def paginated(items: list[Any], total: int, page: Page) -> Response:
    response = jsonify(items)
    response.headers.update(headers(request, page, total))
    return response


def page_params() -> Page:
    return Page.from_params(call().params)
