"""`salsatam sandbox ...`: the local GitLab used by the demo and the tests."""

from __future__ import annotations

import click


@click.group()
def sandbox() -> None:
    """The local GitLab sandbox (a test and demo double of GitLab's REST API v4)."""
