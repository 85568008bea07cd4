import shutil
from pathlib import Path

import pytest

from triage.policy.errors import PolicyError
from triage.policy.health import Bands, HealthPolicy
from triage.policy.loader import PACKAGED, load_policies


@pytest.fixture
def policies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(PACKAGED / "policies", tmp_path / "policies")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "policies"


def problems(directory: Path) -> list[str]:
    with pytest.raises(PolicyError) as error:
        load_policies(directory, PACKAGED / "templates")
    return [str(p) for p in error.value.problems]


def test_the_shipped_file_is_the_default(policies: Path) -> None:
    assert load_policies(policies, PACKAGED / "templates").health == HealthPolicy()


def test_settings_change_thresholds_weights_and_profiles(policies: Path) -> None:
    (policies / "health.yml").write_text(
        "measures:\n"
        "  waiting: {weight: 3, green: 1, yellow: 3}\n"
        "  last_meeting: {priority_2: {green: 40}}\n"
        "profiles: []\n"
    )
    health = load_policies(policies, PACKAGED / "templates").health
    assert health.waiting == Bands(1, 3) and health.weights["waiting"] == 3
    assert health.last_meeting[2] == Bands(40, 90)
    assert health.profiles == ()
    assert health.customer_activity == HealthPolicy().customer_activity


def test_mistakes_name_their_place(policies: Path) -> None:
    (policies / "health.yml").write_text(
        "measures:\n"
        "  waiting: {green: 5, yellow: 2}\n"
        "  sentiment: {colour: red}\n"
        "profiles:\n"
        "  - {name: x, stages: [nope], skip: [waiting]}\n"
    )
    found = problems(policies)
    assert any(p.startswith("policies/health.yml:3:") for p in found), found
    assert len(found) == 1  # the schema error stops the semantic checks of that file
    (policies / "health.yml").write_text(
        "measures:\n  waiting: {green: 5, yellow: 2}\n"
        "profiles:\n  - {name: x, stages: [nope], skip: [waiting]}\n"
    )
    assert problems(policies) == [
        "policies/health.yml:2:23: yellow (2) must not be below green",
        "policies/health.yml:4:24: unknown label 'stage::nope' (not in labels.yml)",
    ]


def test_collaboration_labels_must_be_in_the_catalog(policies: Path) -> None:
    (policies / "collaboration.yml").write_text("labels: {awaiting_team: 'status::mine'}\n")
    assert problems(policies) == [
        "policies/collaboration.yml:1:10: unknown label 'status::mine' (not in labels.yml)"
    ]


def test_the_history_window_must_reach_past_the_limits_it_is_judged_against(
    policies: Path,
) -> None:
    assert HealthPolicy().history_days == 120
    (policies / "health.yml").write_text("history_days: 90\n")
    assert problems(policies) == [
        "policies/health.yml:1:1: history_days (90) must be over last_meeting priority_2 "
        "yellow (90): older meetings and messages are not read"
    ]
    (policies / "health.yml").write_text(
        "history_days: 200\nmeasures:\n  last_meeting: {priority_1: {green: 100, yellow: 150}}\n"
    )
    assert load_policies(policies, PACKAGED / "templates").health.history_days == 200
