"""GitLab errors never carry the token: as it is, nor URL-encoded as a URL would hold it."""

from __future__ import annotations

from urllib.parse import quote, quote_plus

import requests
from gitlab import exceptions as gl_exc

from triage.gitlab.errors import REDACTED, redact, translate

# Characters URL-encoding changes: "/", "+", "=", " " and "&".
TOKEN = "glpat-ab/cd+ef=gh ij&kl"


def test_the_token_is_redacted_as_it_is_and_url_encoded() -> None:
    text = (
        f"token {TOKEN} in "
        f"https://gitlab.example.com/api/v4/projects?private_token={quote(TOKEN, safe='')} "
        f"and form {quote_plus(TOKEN)} and lower {quote(TOKEN, safe='').lower()}"
    )
    clean = redact(text, TOKEN)
    assert clean.count(REDACTED) == 4
    for form in (TOKEN, quote(TOKEN, safe=""), quote_plus(TOKEN), "ab%2Fcd", "ab%2fcd"):
        assert form not in clean


def test_translated_errors_carry_no_encoded_token() -> None:
    url = f"https://gitlab.example.com/api/v4/user?private_token={quote(TOKEN, safe='')}"
    gitlab_error = gl_exc.GitlabGetError(f"404 Not Found at {url}", 404)
    transport = RuntimeError(f"failed: {url}")
    for exc in (gitlab_error, transport, requests.ConnectionError(url)):
        error = translate(exc, TOKEN)
        text = f"{error} {error!r}"
        assert quote(TOKEN, safe="") not in text and TOKEN not in text
        assert "ab%2F" not in text
