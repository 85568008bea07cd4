"""`GET /version` and `GET /metadata`."""

from __future__ import annotations

from flask import Blueprint, Response

from triage.sandbox.context import call, reply

blueprint = Blueprint("meta", __name__)
VERSION = "17.5.0"


@blueprint.get("/version")
@blueprint.get("/metadata")
def version() -> Response:
    current = call()
    current.actor.require_user()
    paid = current.store.settings.tier != "free"
    return reply(
        {
            "version": f"{VERSION}-{'ee' if paid else 'ce'}",
            "revision": "sandbox",
            "kas": {"enabled": False, "externalUrl": None, "version": None},
            "enterprise": paid,
        }
    )
