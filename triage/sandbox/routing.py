"""Route matching as GitLab's API does it: an `:id` is one path segment.

GitLab's `:id` (and a label's `:name`) never spans a slash: a full path must be URL-encoded
(`acme%2Fglobex`), and `/projects/1/nope` is an unknown route, not project `1/nope`. WSGI
servers hand the app a decoded PATH_INFO, where `acme%2Fglobex` and `acme/globex` look the
same, so `RawPath` rebuilds PATH_INFO from the raw request URI with every escape decoded
except an encoded slash (and `%` itself), and the converters decode what is left.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

from werkzeug.routing import BaseConverter, UnicodeConverter

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class SegmentConverter(UnicodeConverter):
    """A plain `<name>`: one segment, encoded slashes decoded."""

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: Any) -> str:
        return quote(str(value), safe="")


class IdConverter(BaseConverter):
    """`<id:name>`: a GitLab `:id`, a number or a URL-encoded full path."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: Any) -> str:
        return quote(str(value), safe="")


CONVERTERS: dict[str, type[BaseConverter]] = {
    "default": SegmentConverter,
    "string": SegmentConverter,
    "id": IdConverter,
}


def raw_path_info(environ: WSGIEnvironment) -> str | None:
    """PATH_INFO rebuilt from the raw URI, keeping `%2F` (and `%25`) encoded; None if unknown."""
    raw = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if not raw or environ.get("SCRIPT_NAME"):
        return None
    path = urlsplit(str(raw)).path if "://" in str(raw) else str(raw).split("?", 1)[0]
    segments = []
    for segment in path.split("/"):
        decoded = unquote_to_bytes(segment)
        segments.append(decoded.replace(b"%", b"%25").replace(b"/", b"%2F").decode("latin-1"))
    rebuilt = "/".join(segments)
    if unquote_to_bytes(rebuilt).decode("latin-1") != environ.get("PATH_INFO", ""):
        return None
    return rebuilt


class RawPath:
    """WSGI middleware: match routes on the raw path (see the module docstring)."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        rebuilt = raw_path_info(environ)
        if rebuilt is not None:
            environ["PATH_INFO"] = rebuilt
        return self.app(environ, start_response)
