"""Admin API: the mentions the sandbox recorded instead of notifying anyone."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from triage.sandbox.mentions import listing
from triage.sandbox.store import Store

blueprint = Blueprint("sandbox_notifications", __name__)


def _store() -> Store:
    found: Store = current_app.extensions["sandbox"].store
    return found


@blueprint.get("/notifications")
def notifications() -> Response:
    store = _store()
    with store.lock:
        return jsonify(listing(store))


@blueprint.post("/notifications/reset")
def reset_notifications() -> Response:
    store = _store()
    with store.transaction():
        store.run("DELETE FROM notifications")
    return jsonify([])
