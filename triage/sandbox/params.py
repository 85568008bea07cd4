"""Request parameters as Grape sees them: query string, form and JSON body merged."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Request

from triage.sandbox.errors import ApiError, invalid
from triage.sandbox.store import parse_time

_TRUE = {"true", "1", "yes", "t", "on"}
_FALSE = {"false", "0", "no", "f", "off", ""}


class Params:
    """Typed access to one request's parameters."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    @classmethod
    def from_request(cls, request: Request) -> Params:
        values: dict[str, Any] = {}
        for source in (request.args, request.form):
            for key in source:
                items = source.getlist(key)
                name = key[:-2] if key.endswith("[]") else key
                values[name] = items if key.endswith("[]") or len(items) > 1 else items[0]
        body = request.get_json(silent=True, force=True) if request.data else None
        if isinstance(body, dict):
            values.update(body)
        return cls(values)

    def has(self, name: str) -> bool:
        return name in self.values

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, list):
            return ",".join(str(item) for item in value)
        return str(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise invalid(name) from None

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        """One of `allowed` (exactly, as Grape's `values:` checks), or `default` when absent."""
        if self.values.get(name) is None:
            return default
        value = self.text(name)
        if value not in allowed:
            raise ApiError(400, {"error": f"{name} does not have a valid value"})
        return value

    def descending(self, default: str = "desc") -> bool:
        """`sort`: `asc` or `desc`, nothing else."""
        return self.choice("sort", ("asc", "desc"), default) == "desc"

    def boolean(self, name: str) -> bool | None:
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise invalid(name)

    def names(self, name: str) -> list[str] | None:
        """A list given as an array or as a comma-separated string; None when absent."""
        return split_names(self.values.get(name)) if name in self.values else None

    def integers(self, name: str) -> list[int] | None:
        names = self.names(name)
        if names is None:
            return None
        try:
            return [int(item) for item in names]
        except ValueError:
            raise invalid(name) from None

    def moment(self, name: str) -> datetime | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return parse_time(value)
        except ValueError:
            raise invalid(name) from None

    def day(self, name: str) -> str | None:
        """A date (YYYY-MM-DD); empty string clears."""
        value = self.text(name)
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            raise invalid(name) from None

    def negated(self) -> Params:
        """The `not[...]` parameters, given as `not[labels]=x` or as a JSON object."""
        values: dict[str, Any] = {}
        nested = self.values.get("not")
        if isinstance(nested, dict):
            values.update(nested)
        for key, value in self.values.items():
            if key.startswith("not[") and key.endswith("]"):
                values[key[4:-1]] = value
        return Params(values)


def split_names(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]
