"""Output: secrets redacted everywhere, CI sections and progress lines, the debug log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from triage import output

TOKEN = "glpat-s3cr3t/t0ken"


@pytest.fixture(autouse=True)
def secrets() -> None:
    output.set_secrets(TOKEN)


def test_redact_takes_out_the_token_and_its_url_encoded_form() -> None:
    text = f"GET /api?private_token={TOKEN} or glpat-s3cr3t%2Ft0ken"
    assert output.redact(text) == "GET /api?private_token=[REDACTED] or [REDACTED]"


def test_out_and_err_redact(capsys: pytest.CaptureFixture[str]) -> None:
    output.out(f"data {TOKEN}")
    output.err(f"note {TOKEN}")
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("data [REDACTED]\n", "note [REDACTED]\n")


def test_the_debug_log_never_holds_the_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = output.setup_logging(verbose=False)
    assert path == tmp_path / "debug.log"
    try:
        raise ValueError(f"failed with {TOKEN}")
    except ValueError as error:
        output.LOGGER.error("request with %s failed", TOKEN, exc_info=error)
    output.LOGGER.debug("debug only: %s", TOKEN)
    logging.shutdown()
    log = path.read_text()
    assert TOKEN not in log
    assert "request with [REDACTED] failed" in log
    assert "ValueError: failed with [REDACTED]" in log
    assert "debug only: [REDACTED]" in log
    assert capsys.readouterr().err == "request with [REDACTED] failed\n"


def test_verbose_shows_info_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    output.setup_logging(verbose=True)
    output.LOGGER.info("read GitLab with %d requests", 12)
    assert capsys.readouterr().err == "read GitLab with 12 requests\n"
    output.setup_logging(verbose=False)
    output.LOGGER.info("quiet")
    assert capsys.readouterr().err == ""


def test_ci_gets_collapsible_sections_and_plain_progress(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CI", "true")
    with output.section("apply", "applying 3 changes"), output.progress(3, "apply") as advance:
        for item in range(3):
            advance(item)
    lines = capsys.readouterr().err.split("\n")
    assert len(lines) == 4 and lines[3] == ""
    assert lines[0].startswith("\x1b[0Ksection_start:")
    assert lines[0].endswith(":apply[collapsed=true]\r\x1b[0Kapplying 3 changes")
    assert lines[1] == "apply: 3/3"
    assert lines[2].startswith("\x1b[0Ksection_end:") and ":apply\r" in lines[2]


def test_no_progress_noise_when_not_a_terminal_nor_ci(capsys: pytest.CaptureFixture[str]) -> None:
    with output.section("apply", "applying"), output.progress(2, "apply") as advance:
        advance(1)
        advance(2)
    assert capsys.readouterr().err == ""


def test_an_unexpected_error_is_one_line_and_the_log_has_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import click
    from click.testing import CliRunner

    from triage.commands.setup import ends_cleanly

    @click.command()
    @ends_cleanly
    def broken() -> None:
        output.setup_logging(verbose=False)
        raise RuntimeError(f"could not parse {TOKEN}")

    result = CliRunner().invoke(broken, [])
    assert result.exit_code == 3
    assert result.stderr == (
        "salsatam: unexpected error: RuntimeError: could not parse [REDACTED] "
        f"(details in {tmp_path / 'debug.log'})\n"
    )
    logging.shutdown()
    log = (tmp_path / "debug.log").read_text()
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: could not parse [REDACTED]" in log
    assert TOKEN not in log


@pytest.mark.parametrize(
    ("status", "code", "line"),
    [
        (401, 2, "salsatam: the token was rejected (401): check SALSATAM_TOKEN"),
        (403, 1, "salsatam: GitLab error: 403: 403 Forbidden"),
    ],
)
def test_a_gitlab_error_is_one_line(status: int, code: int, line: str) -> None:
    import click
    from click.testing import CliRunner

    from triage.commands.setup import ends_cleanly
    from triage.gitlab.errors import GitLabError

    @click.command()
    @ends_cleanly
    def refused() -> None:
        output.setup_logging(verbose=False)
        raise GitLabError(f"{status} {'Unauthorized' if status == 401 else 'Forbidden'}", status)

    result = CliRunner().invoke(refused, [])
    assert (result.exit_code, result.stderr) == (code, line + "\n")
