"""Offset pagination with GitLab's headers: x-page, x-total, Link and friends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Request

from triage.sandbox.params import Params

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
COUNT_LIMIT = 10_000


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @classmethod
    def from_params(cls, params: Params) -> Page:
        number = _positive(params.raw("page"), 1)
        per_page = min(_positive(params.raw("per_page"), DEFAULT_PER_PAGE), MAX_PER_PAGE)
        return cls(number, per_page)


def _positive(value: Any, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def page_of(items: Sequence[Any], page: Page) -> list[Any]:
    return list(items[page.offset : page.offset + page.per_page])


def headers(request: Request, page: Page, total: int) -> dict[str, str]:
    """The x-* headers and the Link header for one page out of `total` items."""
    pages = max(1, -(-total // page.per_page))
    has_next = page.number < pages
    result = {
        "X-Page": str(page.number),
        "X-Per-Page": str(page.per_page),
        "X-Next-Page": str(page.number + 1) if has_next else "",
        "X-Prev-Page": str(page.number - 1) if page.number > 1 else "",
    }
    links = []
    if page.number > 1:
        links.append(_link(request, page.number - 1, page.per_page, "prev"))
    if has_next:
        links.append(_link(request, page.number + 1, page.per_page, "next"))
    links.append(_link(request, 1, page.per_page, "first"))
    if total <= COUNT_LIMIT:
        result["X-Total"] = str(total)
        result["X-Total-Pages"] = str(pages)
        links.append(_link(request, pages, page.per_page, "last"))
    result["Link"] = ", ".join(links)
    return result


def _link(request: Request, number: int, per_page: int, rel: str) -> str:
    query = [
        (key, value)
        for key, value in request.args.items(multi=True)
        if key not in ("page", "per_page")
    ]
    query += [("page", str(number)), ("per_page", str(per_page))]
    path = str(request.environ.get("REQUEST_URI") or request.path).split("?")[0]
    url = f"{request.host_url.rstrip('/')}{path}?{urlencode(query)}"
    return f'<{url}>; rel="{rel}"'
