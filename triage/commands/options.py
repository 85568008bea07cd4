"""The options every run command shares (`validate`, `plan`, `apply`), as one decorator."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from triage.plan import KINDS
from triage.shard import Shard, ShardError

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class RunOptions:
    url: str | None = None
    token: str | None = None
    accounts_project: str | None = None
    customers_group: str | None = None
    policies: Path | None = None
    templates: Path | None = None
    only: tuple[str, ...] = KINDS
    account: str | None = None
    now: datetime | date | None = None  # a date alone means its midnight in the settings' zone
    verbose: bool = False
    shard: Shard | None = None  # one of N parallel runs (GitLab CI `parallel: N`)


def parse_only(text: str | None) -> tuple[str, ...]:
    """`health,issues` -> the kinds, in evaluation order; unknown names are an error."""
    if not text:
        return KINDS
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in KINDS]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown kind {', '.join(repr(n) for n in unknown) or repr(text)}; "
            f"use {', '.join(KINDS)}"
        )
    return tuple(kind for kind in KINDS if kind in names)


def parse_now(text: str | None) -> datetime | date | None:
    """An ISO date, or an ISO date-time with its UTC offset (2026-03-10T09:00+01:00)."""
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"'{text}' is not an ISO date or date-time") from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"'{text}' has no UTC offset (e.g. {text}+00:00 or {text}Z)")
    return moment


def parse_shard(text: str | None) -> Shard | None:
    """`2/4`: the second of four parallel runs (1-based, like CI_NODE_INDEX)."""
    if not text:
        return None
    try:
        return Shard.parse(text)
    except ShardError as error:
        raise click.BadParameter(str(error)) from None


def _callback(parse: Callable[[Any], Any]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    return lambda _ctx, _param, value: parse(value)


_DIR = click.Path(file_okay=False, path_type=Path)
_OPTIONS = (
    click.option(
        "--url",
        envvar="SALSATAM_URL",
        help="GitLab URL [env SALSATAM_URL, CI_SERVER_URL; else gitlab_url in salsatam.yml].",
    ),
    click.option("--token", envvar="SALSATAM_TOKEN", help="GitLab token [env SALSATAM_TOKEN]."),
    click.option("--accounts-project", metavar="PATH", help="Override accounts_project."),
    click.option("--customers-group", metavar="PATH", help="Override customers_group."),
    click.option("--policies", type=_DIR, help="Policy directory [./policies, else defaults]."),
    click.option("--templates", type=_DIR, help="Template directory [./templates, else defaults]."),
    click.option(
        "--only",
        "only",
        metavar="KIND[,KIND...]",
        callback=_callback(parse_only),
        help=f"Run only these kinds: {', '.join(KINDS)}.",
    ),
    click.option("--account", metavar="NAME", help="Only this account (its record's title)."),
    click.option(
        "--now",
        metavar="ISO-DATETIME",
        callback=_callback(parse_now),
        help="Fix the clock: 2026-03-10 or 2026-03-10T09:00:00+01:00.",
    ),
    click.option(
        "--verbose",
        "-v",
        is_flag=True,
        help="Say more on stderr: each step, and each request to GitLab (method, path, "
        "status, time).",
    ),
    click.option(
        "--shard",
        metavar="I/N",
        envvar="SALSATAM_SHARD",
        callback=_callback(parse_shard),
        help="Write for the I-th of N shares of the accounts: --shard "
        "$CI_NODE_INDEX/$CI_NODE_TOTAL with `parallel: N` [env SALSATAM_SHARD].",
    ),
)


def run_options(command: F) -> F:
    """Add the shared options to a click command; it receives them as `opts: RunOptions`."""
    return _with_options(command, tuple(RunOptions.__dataclass_fields__))


def some_run_options(*names: str) -> Callable[[F], F]:
    """Only these of the shared options (the rest keep RunOptions' defaults)."""
    unknown = set(names) - set(RunOptions.__dataclass_fields__)
    if unknown:
        raise ValueError(f"no shared option {sorted(unknown)}")
    return lambda command: _with_options(command, names)


def _with_options(command: F, names: tuple[str, ...]) -> F:
    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        shared = {name: kwargs.pop(name) for name in names}
        return command(RunOptions(**shared), **kwargs)

    decorated: Any = wrapper
    for name, option in reversed(_BY_NAME.items()):
        if name in names:
            decorated = option(decorated)
    result: F = decorated
    return result


def _name(option: Callable[[Any], Any]) -> str:
    """The parameter name a click.option decorator declares."""
    probe: Any = option(lambda **_kwargs: None)
    (parameter,) = probe.__click_params__
    name: str = parameter.name
    return name


_BY_NAME = {_name(option): option for option in _OPTIONS}
