"""GitLab's error answers, raised anywhere and rendered by the app."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error response: status code and GitLab's JSON body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body


def not_found(what: str = "") -> ApiError:
    """`404 Project Not Found`, or `404 Not found` when nothing is named."""
    return ApiError(404, {"message": f"404 {what} Not Found" if what else "404 Not found"})


def bad_request(message: str) -> ApiError:
    return ApiError(400, {"message": f"400 Bad request - {message}"})


def missing(name: str) -> ApiError:
    return ApiError(400, {"error": f"{name} is missing"})


def invalid(name: str) -> ApiError:
    return ApiError(400, {"error": f"{name} is invalid"})


def validation(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(400, {"message": errors})


def unauthorized() -> ApiError:
    return ApiError(401, {"message": "401 Unauthorized"})


def forbidden(reason: str = "") -> ApiError:
    return ApiError(403, {"message": f"403 Forbidden - {reason}" if reason else "403 Forbidden"})


def conflict(message: str) -> ApiError:
    return ApiError(409, {"message": message})
