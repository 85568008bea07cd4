"""The sandbox's own admin API under /-/sandbox: counters, clock, seed, reset, settings."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from triage.sandbox.labeling import PAID_TIERS
from triage.sandbox.load import load_of
from triage.sandbox.seeding import SeedError, load_seed
from triage.sandbox.store import format_time, parse_time

blueprint = Blueprint("sandbox_admin", __name__)
TIERS = ("free", *sorted(PAID_TIERS))


def _sandbox() -> Any:
    return current_app.extensions["sandbox"]


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True, force=True)
    return body if isinstance(body, dict) else {}


def _error(message: str) -> tuple[Response, int]:
    return jsonify({"message": message}), 400


@blueprint.get("/requests")
def requests_seen() -> Response:
    return jsonify(_sandbox().counter.snapshot())


@blueprint.post("/requests/reset")
def reset_requests() -> Response:
    _sandbox().counter.reset()
    return jsonify(_sandbox().counter.snapshot())


def _clock() -> dict[str, Any]:
    clock = _sandbox().store.clock
    return {"now": None if clock is None else format_time(clock)}


@blueprint.get("/clock")
def get_clock() -> Response:
    return jsonify(_clock())


@blueprint.post("/clock")
def set_clock() -> Response | tuple[Response, int]:
    value = _body().get("now")
    try:
        _sandbox().store.clock = None if value is None else parse_time(str(value))
    except ValueError:
        return _error(f"now: not an ISO 8601 date-time: {value!r}")
    return jsonify(_clock())


@blueprint.post("/seed")
def seed() -> Response | tuple[Response, int]:
    try:
        return jsonify(load_seed(_sandbox().store, _body()))
    except (SeedError, KeyError, TypeError, ValueError) as error:
        return _error(f"seed: {error}")


@blueprint.post("/reset")
def reset() -> Response:
    _sandbox().store.reset()
    return jsonify({"reset": True})


def _settings() -> dict[str, Any]:
    settings = _sandbox().store.settings
    return {
        "tier": settings.tier,
        "lost_response_rate": settings.lost_response_rate,
        "lost_response_scope": settings.lost_response_scope,
        "seed": settings.seed,
        **load_of().describe(),
    }


@blueprint.get("/settings")
def get_settings() -> Response:
    return jsonify(_settings())


@blueprint.post("/settings")
def set_settings() -> Response | tuple[Response, int]:
    body = _body()
    settings = _sandbox().store.settings
    load_error = load_of().update(body)
    if load_error:
        return _error(load_error)
    if "tier" in body:
        if body["tier"] not in TIERS:
            return _error(f"tier: one of {', '.join(TIERS)}")
        settings.tier = body["tier"]
    if "lost_response_rate" in body:
        rate = float(body["lost_response_rate"])
        if not 0 <= rate <= 1:
            return _error("lost_response_rate: between 0 and 1")
        settings.lost_response_rate = rate
    if "lost_response_scope" in body:
        if body["lost_response_scope"] not in ("writes", "creates"):
            return _error("lost_response_scope: writes or creates")
        settings.lost_response_scope = body["lost_response_scope"]
    if "seed" in body:
        _sandbox().lost.reseed(int(body["seed"]))
    return jsonify(_settings())
