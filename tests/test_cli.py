from click.testing import CliRunner

from triage import __version__
from triage.cli import main


def test_version_names_the_program_and_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"salsatam, version {__version__}"


def test_help_lists_the_sandbox_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "sandbox" in result.output
