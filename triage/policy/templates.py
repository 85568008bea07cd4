"""Check the templates without GitLab: each compiles, and each a policy uses renders.

A kind's policy module says which templates its policy uses, and with what variables, by
providing either

    def sample_contexts(policy) -> Mapping[str, Mapping[str, Any]]   # template -> context
    SAMPLE_CONTEXTS: Mapping[str, Mapping[str, Any]]                  # when policy-independent

The sample context has the same shape as the real one, so a misspelt variable fails here
(StrictUndefined) instead of in a scheduled run. Rendering only follows the branches the
sample takes, so each template is also read statically: every variable it uses must be in
the sample context, a Jinja global, or set by the template itself, in every branch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from triage.policy.errors import PolicyProblem
from triage.policy.schema import KIND_MODULES, import_kind
from triage.render import environment, render

if TYPE_CHECKING:
    from triage.policy.loader import PolicySet


@dataclass
class TemplateCheck:
    compiled: int = 0
    rendered: int = 0
    problems: list[PolicyProblem] = field(default_factory=list)


def check_templates(policies: PolicySet, kinds: Mapping[str, str] = KIND_MODULES) -> TemplateCheck:
    """Compile every template in the templates directory, render the ones policies use."""
    from triage.policy.loader import shown

    directory = policies.sources.templates
    env = environment(directory)
    check = TemplateCheck()
    names = _template_names(directory)
    for name in names:
        try:
            env.get_template(name)
            check.compiled += 1
        except TemplateSyntaxError as error:
            where = f"{shown(directory / name)}:{error.lineno}"
            check.problems.append(PolicyProblem(where, f"template syntax: {error.message}"))
    undefined: set[tuple[str, str]] = set()  # (template, variable) reported statically
    for stem, module_name in kinds.items():
        for name, context in _samples(policies, stem, module_name).items():
            _check_names(env, directory, name, context, check, undefined)
            _render(env, directory, name, context, stem, check, undefined)
    return check


def _check_names(
    env: SandboxedEnvironment,
    directory: Path,
    name: str,
    context: Mapping[str, Any],
    check: TemplateCheck,
    undefined: set[tuple[str, str]],
) -> None:
    """Report each variable the template uses in any branch that the context lacks."""
    from triage.policy.loader import shown

    path = directory / name
    if not path.is_file():
        return
    source = path.read_text(encoding="utf-8")
    try:
        tree = env.parse(source, name)
    except TemplateSyntaxError:
        return  # reported when compiling
    names = meta.find_undeclared_variables(tree) - set(context) - set(env.globals)
    for variable in sorted(names, key=lambda v: (_name_line(tree, source, v), v)):
        if (name, variable) in undefined:
            continue
        undefined.add((name, variable))
        line = _name_line(tree, source, variable)
        where = f"{shown(path)}:{line}" if line else shown(path)
        check.problems.append(PolicyProblem(where, f"'{variable}' is undefined"))


def _name_line(tree: nodes.Template, source: str, variable: str) -> int:
    """The first line that reads `variable` (0 when it can't be found)."""
    lines = [n.lineno for n in tree.find_all(nodes.Name) if n.name == variable and n.ctx == "load"]
    if lines:
        return min(lines)
    word = re.compile(rf"(?<![\w.]){re.escape(variable)}(?!\w)")
    return next((i for i, text in enumerate(source.splitlines(), 1) if word.search(text)), 0)


def _template_names(directory: Path) -> list[str]:
    if not directory.is_dir():
        return []
    files = (p for p in directory.rglob("*") if p.is_file() and not p.name.startswith("."))
    return sorted(p.relative_to(directory).as_posix() for p in files)


def _samples(policies: PolicySet, stem: str, module_name: str) -> Mapping[str, Any]:
    module = import_kind(module_name)
    policy = getattr(policies, stem, None)
    if module is None or policy is None:
        return {}
    hook = getattr(module, "sample_contexts", None)
    if callable(hook):
        samples: Mapping[str, Any] = hook(policy)
        return samples
    return getattr(module, "SAMPLE_CONTEXTS", {})


def _render(
    env: SandboxedEnvironment,
    directory: Path,
    name: str,
    context: Mapping[str, Any],
    kind: str,
    check: TemplateCheck,
    undefined: set[tuple[str, str]],
) -> None:
    from triage.policy.loader import shown

    path = directory / name
    if not path.is_file():
        return  # the loader already reported the unknown template
    try:
        render(env, name, context)
        check.rendered += 1
    except TemplateSyntaxError:
        return  # reported when compiling
    except TemplateError as error:
        if any(error.message == f"'{v}' is undefined" for n, v in undefined if n == name):
            return  # reported by the static check
        line = _template_line(error.__traceback__, path)
        where = f"{shown(path)}:{line}" if line else shown(path)
        message = f"{error.message or type(error).__name__} (rendering a sample {kind} context)"
        check.problems.append(PolicyProblem(where, message))


def _template_line(tb: TracebackType | None, path: Path) -> int | None:
    """The template line an error happened on (Jinja2 puts template frames in tracebacks)."""
    line = None
    target = str(path.resolve())
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename and Path(filename).resolve().as_posix() == Path(target).as_posix():
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
