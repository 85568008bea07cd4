"""`salsatam sandbox ...`: the local GitLab used by the demo and the tests."""

from __future__ import annotations

import json
import logging
import secrets
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from triage.sandbox.app import SandboxConfig
from triage.sandbox.seeding import SeedError
from triage.sandbox.server import SandboxServer


@click.group()
def sandbox() -> None:
    """The local GitLab sandbox (a test and demo double of GitLab's REST API v4)."""


def read_seed_file(path: Path) -> dict[str, Any]:
    """A seed in YAML or JSON (JSON is YAML too); SeedError when it doesn't read."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise SeedError(f"not YAML or JSON: {where}{error.problem}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SeedError(f"not YAML or JSON: {error}") from None
    if not isinstance(data, dict):
        raise SeedError("a seed is a mapping (users, groups, projects...)")
    return data


@sandbox.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="0 picks a free port.")
@click.option(
    "--db", default=":memory:", show_default=True, help="SQLite file for the data, or :memory:."
)
@click.option(
    "--root-token",
    default=None,
    help="Personal access token of the admin user root (generated when absent).",
)
@click.option(
    "--tier",
    type=click.Choice(["free", "premium", "ultimate"]),
    default="free",
    show_default=True,
    help="Paid tiers make scoped labels exclusive.",
)
@click.option(
    "--lost-response-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of writes that commit and then answer 502.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed for reproducible faults."
)
@click.option(
    "--seed-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Data to load at start (YAML or JSON, see docs/sandbox.md).",
)
@click.option(
    "--profile",
    type=click.Choice(["self-managed", "gitlab-com"]),
    default="self-managed",
    show_default=True,
    help="gitlab-com applies GitLab.com's published rate limits.",
)
@click.option(
    "--latency-ms",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Latency added to every API request.",
)
@click.option(
    "--fault-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of API requests answered 500, 502 or 503 before anything runs.",
)
def serve(
    host: str,
    port: int,
    db: str,
    root_token: str | None,
    tier: str,
    lost_response_rate: float,
    seed: int,
    seed_file: Path | None,
    profile: str,
    latency_ms: int,
    fault_rate: float,
) -> None:
    """Serve GitLab's REST API v4 under /api/v4 until stopped (Ctrl-C)."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    token = root_token or f"glpat-{secrets.token_urlsafe(15)}"
    try:
        config = SandboxConfig(
            root_token=token,
            db=db,
            tier=tier,
            lost_response_rate=lost_response_rate,
            seed=seed,
            seed_data=read_seed_file(seed_file) if seed_file else None,
            profile=profile,
            latency_ms=latency_ms,
            fault_rate=fault_rate,
        )
        server = SandboxServer(config, host=host, port=port, threads=8)
    except SeedError as error:  # one line naming the problem; the server never started
        click.echo(f"salsatam: seed file {seed_file}: {error}", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(
        json.dumps(
            {
                "url": server.url,
                "api": f"{server.url}/api/v4",
                "tier": tier,
                "profile": profile,
                **({} if root_token else {"root_token": token}),
            }
        ),
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
