"""The demo's policy directory: the packaged defaults, pointed at the demo's GitLab."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from triage.demo.book import ACCOUNTS_PROJECT, BOT, CUSTOMERS_GROUP, Book, TeamSpec
from triage.policy.loader import PACKAGED


def write_policies(book: Book, directory: Path) -> Path:
    """Copy the default policies into `directory`, with settings and teams for `book`."""
    if directory.exists():
        shutil.rmtree(directory)
    shutil.copytree(PACKAGED / "policies", directory)
    settings = _load(directory / "salsatam.yml")
    settings.update(accounts_project=ACCOUNTS_PROJECT, customers_group=CUSTOMERS_GROUP, bots=[BOT])
    _dump(directory / "salsatam.yml", settings, "salsatam settings for the demo's sandbox.")
    # The demo's rerun shows that a run with nothing new writes nothing: without a cap on
    # new issues per owner, the first run opens them all rather than the rerun the rest.
    issues = directory / "issues.yml"
    text = issues.read_text(encoding="utf-8")
    capped = "\nmax_new_per_owner_per_run: "
    assert capped in text, "issues.yml sets max_new_per_owner_per_run"
    start = text.index(capped) + len(capped)
    end = text.index("\n", start)
    issues.write_text(f"{text[:start]}null{text[end:]}", encoding="utf-8")
    teams = {"teams": [team_entry(team) for team in book.teams]}
    _dump(directory / "teams.yml", teams, "The demo's account teams.")
    return directory


def team_entry(team: TeamSpec) -> dict[str, Any]:
    """One team as teams.yml spells it."""
    entry: dict[str, Any] = {
        "name": team.name,
        "title": team.title,
        "segment": team.segment,
        "members": [{"username": u, "role": r} for r, u in team.members.items()],
        "meeting": {"cadence": "weekly", "weekday": team.weekday, "time": "15:00"},
        "sort": "arr",
    }
    if team.sa_pool:
        entry["sa_pool"] = list(team.sa_pool)
    return entry


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    assert isinstance(data, dict)
    return data


def _dump(path: Path, data: dict[str, Any], comment: str) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path.write_text(f"# {comment} Written by `salsatam demo`.\n{text}", encoding="utf-8")
