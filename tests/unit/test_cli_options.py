"""The shared options: kinds, the clock, the URL and the settings overrides."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
import pytest

from triage.commands.options import RunOptions, parse_now, parse_only
from triage.commands.setup import UsageProblem, clock, gitlab_url, load
from triage.policy.loader import PACKAGED, PolicySet, load_policies


@pytest.fixture(scope="module")
def policies() -> PolicySet:
    return load_policies(PACKAGED / "policies", PACKAGED / "templates")


def test_only_keeps_evaluation_order_and_rejects_unknown_kinds() -> None:
    assert parse_only("boards, health") == ("health", "boards")
    assert parse_only(None) == ("health", "collaboration", "issues", "agenda", "boards")
    with pytest.raises(click.BadParameter, match="unknown kind 'record'"):
        parse_only("record")


def test_now_takes_a_date_or_an_aware_date_time() -> None:
    assert parse_now("2026-03-10") == date(2026, 3, 10)
    assert parse_now("2026-03-10T09:00:00Z") == datetime(2026, 3, 10, 9, tzinfo=UTC)
    later = parse_now("2026-03-10T09:00:00+01:00")
    assert isinstance(later, datetime) and later.utcoffset() == timedelta(hours=1)
    with pytest.raises(click.BadParameter, match="has no UTC offset"):
        parse_now("2026-03-10T09:00:00")


def test_a_date_alone_is_its_midnight_in_the_settings_time_zone(policies: PolicySet) -> None:
    paris = policies.with_settings(timezone="Europe/Paris")
    now = clock(RunOptions(now=date(2026, 3, 10)), paris)
    assert now == datetime(2026, 3, 10, tzinfo=ZoneInfo("Europe/Paris"))
    assert now.astimezone(UTC) == datetime(2026, 3, 9, 23, tzinfo=UTC)
    assert clock(RunOptions(now=datetime(2026, 1, 1, tzinfo=UTC)), paris).year == 2026


def test_url_comes_from_the_option_then_ci_then_the_settings(
    policies: PolicySet, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(UsageProblem, match="no GitLab URL"):
        gitlab_url(RunOptions(), policies)
    configured = policies.with_settings(gitlab_url="https://gitlab.example.com")
    assert gitlab_url(RunOptions(), configured) == "https://gitlab.example.com"
    monkeypatch.setenv("CI_SERVER_URL", "https://ci.example.com")
    assert gitlab_url(RunOptions(), configured) == "https://ci.example.com"
    assert gitlab_url(RunOptions(url="https://cli.example.com"), configured) == (
        "https://cli.example.com"
    )


def test_settings_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no policies/ here: the packaged defaults
    opts = RunOptions(accounts_project="cs/records", customers_group="clients")
    loaded = load(opts)
    assert (loaded.settings.accounts_project, loaded.settings.customers_group) == (
        "cs/records",
        "clients",
    )
    assert load(dataclasses.replace(opts, accounts_project=None)).settings.accounts_project == (
        "account-management/accounts"
    )
