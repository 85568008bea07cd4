"""Load the policy directory: YAML with positions, JSON Schema, typed policies, all problems.

Every file is read and checked before anything fails, so one run lists every mistake as
`file:line:col: message`; then `PolicyError` carries them all. `salsatam.yml` and
`labels.yml` are required; a missing kind file means that kind has nothing to do.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from triage.policy import labels, schema, settings
from triage.policy.agenda import AgendaPolicy
from triage.policy.boards import BoardsPolicy
from triage.policy.collaboration import CollaborationPolicy
from triage.policy.errors import PolicyError, PolicyProblem
from triage.policy.health import HealthPolicy
from triage.policy.issues import IssuesPolicy
from triage.policy.model import LabelCatalog, Settings, Sources
from triage.policy.parsing import ParseContext
from triage.policy.teams import TeamsPolicy
from triage.policy.yamlfile import YamlDocument, load_yaml

PACKAGED = Path(__file__).resolve().parent.parent / "defaults"
REQUIRED = ("salsatam", "labels")


@dataclass(frozen=True)
class PolicySet:
    """Everything loaded from the policy directory, typed.

    A kind's field holds its `<Kind>Policy`: what its file says, else (no file, or a kind
    the loader was not asked for) the policy with nothing configured.
    """

    settings: Settings
    labels: LabelCatalog
    sources: Sources
    health: HealthPolicy = field(default_factory=HealthPolicy)
    collaboration: CollaborationPolicy = field(default_factory=CollaborationPolicy)
    issues: IssuesPolicy = field(default_factory=IssuesPolicy)
    agenda: AgendaPolicy = field(default_factory=AgendaPolicy)
    teams: TeamsPolicy = field(default_factory=TeamsPolicy)
    boards: BoardsPolicy = field(default_factory=BoardsPolicy)

    def with_settings(self, **changes: Any) -> PolicySet:
        """A copy whose settings have `changes` (command-line overrides)."""
        return replace(self, settings=replace(self.settings, **changes))


def default_dirs(cwd: Path | None = None) -> tuple[Path, Path]:
    """`policies/` and `templates/` of the working directory, else the packaged defaults."""
    here = cwd or Path.cwd()
    policies = here / "policies" if (here / "policies").is_dir() else PACKAGED / "policies"
    templates = here / "templates" if (here / "templates").is_dir() else PACKAGED / "templates"
    return policies, templates


def shown(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def load_policies(
    policies_dir: Path, templates_dir: Path, kinds: Mapping[str, str] = schema.KIND_MODULES
) -> PolicySet:
    """The typed policy set, or PolicyError listing every problem in every file."""
    importlib.import_module("triage.facts")  # declares the facts conditions may name
    if not policies_dir.is_dir():
        raise PolicyError([PolicyProblem(shown(policies_dir), "no such policy directory")])
    # Problems by file, reported in this order whatever order the files are parsed in.
    found: dict[str, list[PolicyProblem]] = {stem: [] for stem in [*REQUIRED, *kinds]}
    docs = {stem: _read(policies_dir, stem, found[stem]) for stem in found}
    catalog = _catalog(docs["labels"], templates_dir, found["labels"])
    loaded = _settings(docs["salsatam"], catalog, templates_dir, found["salsatam"])
    values: dict[str, Any] = {}
    for stem, module_name in kinds.items():
        module = schema.import_kind(module_name)
        if module is not None:
            values[stem] = _parse_kind(module, docs[stem], catalog, templates_dir, found[stem])
    problems = [problem for listed in found.values() for problem in listed]
    if problems or loaded is None:
        raise PolicyError(problems)
    return PolicySet(loaded, catalog, Sources(policies_dir, templates_dir), **values)


@dataclass
class _File:
    name: str  # as shown
    doc: YamlDocument | None  # None: the file does not exist


def _read(directory: Path, stem: str, problems: list[PolicyProblem]) -> _File:
    path = directory / f"{stem}.yml"
    name = shown(path)
    if not path.is_file():
        if stem in REQUIRED:
            problems.append(PolicyProblem(name, "missing: this file is required"))
        return _File(name, None)
    doc = load_yaml(path.read_text(encoding="utf-8"), name)
    if doc.data is None and not doc.problems:
        doc.data = {}  # an empty file: nothing configured
    problems.extend(doc.problems)
    return _File(name, doc)


def _context(file: _File, catalog: LabelCatalog, templates: Path) -> ParseContext:
    positions = file.doc.positions if file.doc else {}
    return ParseContext(file.name, positions, catalog, Path(shown(templates)))


def _checked(file: _File, ctx: ParseContext, file_schema: Mapping[str, Any]) -> bool:
    """Whether the file parsed as YAML and passed its schema (problems go to `ctx`)."""
    if file.doc is None or file.doc.problems:
        return False
    return schema.validate(file.doc.data, file_schema, ctx)


def _finish(ctx: ParseContext, problems: list[PolicyProblem]) -> None:
    problems.extend(sorted(ctx.problems, key=_position))


def _position(problem: PolicyProblem) -> tuple[int, int]:
    parts = problem.location.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return int(parts[1]), int(parts[2])
    return 0, 0


def _catalog(file: _File, templates: Path, problems: list[PolicyProblem]) -> LabelCatalog:
    ctx = _context(file, LabelCatalog(), templates)
    if _checked(file, ctx, labels.SCHEMA):
        assert file.doc is not None
        catalog = labels.parse(file.doc.data, ctx)
    else:
        catalog = labels.salvage(file.doc.data if file.doc else None)
    _finish(ctx, problems)
    return catalog


def _settings(
    file: _File, catalog: LabelCatalog, templates: Path, problems: list[PolicyProblem]
) -> Settings | None:
    ctx = _context(file, catalog, templates)
    loaded = None
    if _checked(file, ctx, settings.SCHEMA):
        assert file.doc is not None
        loaded = settings.parse(file.doc.data, ctx)
    _finish(ctx, problems)
    return loaded


def _parse_kind(
    module: Any,
    file: _File,
    catalog: LabelCatalog,
    templates: Path,
    problems: list[PolicyProblem],
) -> Any:
    if file.doc is None:
        return _empty(module, file, catalog, templates)
    ctx = _context(file, catalog, templates)
    policy = _empty(module, file, catalog, templates)
    if _checked(file, ctx, module.SCHEMA):
        policy = module.parse(file.doc.data, ctx)
    _finish(ctx, problems)
    return policy


def _empty(module: Any, file: _File, catalog: LabelCatalog, templates: Path) -> Any:
    """A kind's policy with nothing to do: `<Kind>Policy.default()`, else `parse({})`."""
    stem = Path(file.name).stem
    cls = getattr(module, f"{stem.capitalize()}Policy", None)
    if cls is not None and hasattr(cls, "default"):
        return cls.default()
    return module.parse({}, _context(file, catalog, templates))
