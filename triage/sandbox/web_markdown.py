"""Markdown to HTML for the sandbox's web view, with customer text kept inert.

markdown-it-py renders CommonMark (plus tables and strikethrough) with raw HTML off, so any
`<script>` or `<img onerror=...>` in a description comes out as escaped text. Links (and
images) keep only http(s) targets; anything else (`javascript:`, `data:`, `vbscript:`,
relative paths) leaves the Markdown source as plain text. Images are shown as links, so a
page never fetches anything from elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https"})
LINK_REL = "nofollow noopener noreferrer"


class _SafeMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return http_url(url)


def http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host, and nothing else."""
    text = url.strip()
    if any(ord(ch) < 0x20 or ch in "\\\x7f" for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


def _link_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("rel", LINK_REL)
    rendered: str = renderer.renderToken(tokens, idx, options, env)
    return rendered


def _image(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env) or "image"
    src = str(token.attrGet("src") or "")
    return f'<a href="{escapeHtml(src)}" rel="{LINK_REL}">[image: {escapeHtml(alt)}]</a>'


def _parser() -> MarkdownIt:
    parser = _SafeMarkdown("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.add_render_rule("link_open", _link_open)
    parser.add_render_rule("image", _image)
    return parser


_MARKDOWN = _parser()


def render(text: str | None) -> Markup:
    """Customer Markdown as HTML that runs nothing and loads nothing."""
    if not text:
        return Markup("")
    return Markup(_MARKDOWN.render(text))
