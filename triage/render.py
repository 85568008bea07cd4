"""Jinja2 rendering of issue and note templates, with untrusted text kept inert.

Everything a template prints is neutralised unless it is `Markup` made by our own code:
customer-written titles and notes can never start a GitLab quick action (`/close`), ping
anyone (`@all`), cross-reference an issue (`#12`), or break out of Markdown or HTML. Trusted
pieces (mentions of staff, links, Markdown we build) are made with the filters below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

ZWSP = "\u200b"  # zero-width space: breaks a reference without changing how text looks
USERNAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_WHITESPACE = re.compile(r"\s+")
# Mentions that notify a whole project or channel rather than one person.
_EVERYONE = frozenset({"all", "here", "channel", "everyone"})
# Characters that carry Markdown or GitLab meaning inline, escaped with a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|~$])")
# References GitLab turns into pings or cross-references: @user, #12, !3, %milestone, &epic.
_REFERENCE = re.compile(r"([@#!%&^])(?=[\w\"'])")
# A URL GitLab would autolink; one to an issue on the same instance cross-references it.
_URL = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*:)(?=//)|\b(www)(?=\.)")
# Control characters (terminal escapes, bidirectional overrides): never printed as they are.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inline(text: object, limit: int = 300) -> Markup:
    """Untrusted text as one inert line of Markdown (whitespace and newlines collapsed)."""
    if isinstance(text, Markup):
        return text
    return Markup(_neutralise(_line(text, limit)))


def _line(text: object, limit: int) -> str:
    flat = plain(_WHITESPACE.sub(" ", str(text))).strip()
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat


def quote(text: object, max_lines: int = 40) -> Markup:
    """Untrusted multi-line text as an inert Markdown blockquote."""
    # Every line break Python knows (\r, \v, \f, U+0085, U+2028, U+2029...) starts a new
    # quoted line: no renderer may see an unquoted line where we saw one.
    lines = str(text).splitlines() or [""]
    if len(lines) > max_lines:
        lines = [*lines[:max_lines], "…"]
    return Markup("\n".join("> " + _neutralise(plain(line).rstrip()) for line in lines))


def plain(text: object) -> str:
    """Text without control characters (tabs and line breaks kept)."""
    return _CONTROL.sub("", str(text))


def title(text: object, limit: int = 255) -> str:
    """Untrusted text for an issue title: one line, no pings or cross-references.

    GitLab renders titles as one line of Markdown and finds mentions and references there
    too, so the same characters are broken as in `inline`; Markdown is left as it is.
    """
    flat = plain(_WHITESPACE.sub(" ", str(text))).strip()
    return _unlink(_REFERENCE.sub(lambda m: m.group(1) + ZWSP, flat))[:limit].rstrip()


def _unlink(text: str) -> str:
    return _URL.sub(lambda m: (m.group(1) or m.group(2)) + ZWSP, text)


def _neutralise(text: str, unlink: bool = True) -> str:
    text = _REFERENCE.sub(lambda m: m.group(1) + ZWSP, text)
    if unlink:  # not inside a link's text, where GitLab finds no URL
        text = _unlink(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # A line must never start with "/" (quick action) or with block syntax.
    if text.startswith(("/", "#", "+", "-", "=", "*")) or re.match(r"\d+[.)]\s", text):
        text = "\\" + text
    return text


def mention(username: object, staff: Iterable[str] | None = None) -> Markup:
    """A deliberate @-mention of a GitLab user (staff named in a record or a team).

    With `staff` (the accounts project's members), anyone else, such as a group a record
    names by mistake, is printed inert: only staff are pinged.
    """
    name = str(username)
    if not USERNAME.fullmatch(name) or name.casefold() in _EVERYONE:
        return inline(name)
    if staff is not None and name.casefold() not in {s.casefold() for s in staff}:
        return inline(name)
    return Markup("@" + name)


@pass_context
def _mention_filter(context: Context, username: object) -> Markup:
    """`| mention` in a template: pings only the context's `staff` when it has them."""
    staff = context.get("staff")
    return mention(username, staff if isinstance(staff, list | tuple | frozenset | set) else None)


def link(text: object, url: object) -> Markup:
    """A Markdown link built by salsatam; only http(s) URLs become links."""
    target = str(url)
    if not re.fullmatch(r"https?://[^\s()<>\[\]\"'`\\]+", target):
        return inline(text)
    label = text if isinstance(text, Markup) else _neutralise(_line(text, 300), unlink=False)
    return Markup(f"[{label}]({target})")


def reference(value: object) -> Markup:
    """A GitLab reference salsatam built itself (`group/project#12`), kept live on purpose."""
    ref = str(value)
    if not re.fullmatch(r"[\w.\-/]+#\d+", ref, re.ASCII):
        return inline(ref)
    return Markup(ref)


def _finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return _number(value)
    return inline(value)


def _number(value: bool | int | float) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10000 else str(value)


def environment(templates: Path) -> SandboxedEnvironment:
    """The sandboxed Jinja2 environment for Markdown templates in `templates`."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates)),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        inline=inline, quote=quote, mention=_mention_filter, link=link, reference=reference
    )
    # `safe` would print untrusted text as it is; the filters above are the only way to Markup.
    del env.filters["safe"]
    return env


def render(env: SandboxedEnvironment, name: str, context: Mapping[str, Any]) -> str:
    """Render template `name`; undefined variables raise (StrictUndefined)."""
    return env.get_template(name).render(**context)
