"""What the end-to-end tests share: a seeded sandbox salsatam points at, and running it."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from triage.cli import main
from triage.policy.loader import PACKAGED


def seeded(
    sandbox: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    clock: datetime,
    seed: dict[str, Any],
    teams: dict[str, Any] | None = None,
) -> Any:
    """The sandbox at `clock` with `seed` loaded, salsatam run from `tmp_path` with root's
    token. With `teams`: the packaged policies and templates copied there, and `teams` as
    policies/teams.yml (without: no policies/ there, so the packaged defaults)."""
    sandbox.set_clock(clock)
    sandbox.seed(seed)
    if teams is not None:
        shutil.copytree(PACKAGED / "policies", tmp_path / "policies")
        shutil.copytree(PACKAGED / "templates", tmp_path / "templates")
        (tmp_path / "policies" / "teams.yml").write_text(yaml.safe_dump(teams))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SALSATAM_TOKEN", sandbox.token)
    sandbox.reset_requests()
    return sandbox


def run(gitlab: Any, *args: str, now: str, only: str | None = None) -> Result:
    """`salsatam ARGS --url SANDBOX --now NOW [--only ONLY]`, in process."""
    limit = ["--only", only] if only is not None else []
    return CliRunner().invoke(main, [*args, "--url", gitlab.url, "--now", now, *limit])
