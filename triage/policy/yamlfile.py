"""YAML policy files read into plain data plus the position of every key.

pyyaml's composer gives nodes that know where they start; we build the data ourselves so
that duplicate keys are errors (not silently the last one) and every key path maps to its
`(line, column)`, 1-based, for messages like `policies/health.yml:14:7: ...`.

Values stay JSON-compatible: dates and timestamps are kept as the text written, so the same
data validates against the published JSON Schema that editors use; typed parsers read them.
Keys are always the text written (`on:` is the key "on", not True).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from triage.policy.errors import PolicyProblem
from triage.policy.parsing import KeyPath

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass
class YamlDocument:
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    problems: list[PolicyProblem] = field(default_factory=list)


def load_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document; syntax errors and duplicate keys become problems."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return YamlDocument(None, problems=[_syntax_problem(error, file)])
    except yaml.YAMLError as error:  # errors without a mark (rare)
        return YamlDocument(None, problems=[PolicyProblem(f"{file}:1:1", str(error))])
    finally:
        loader.dispose()
    doc = YamlDocument(None, positions={(): (1, 1)})
    if node is not None:
        doc.positions[()] = _position(node)
        doc.data = _Builder(loader, file, doc).build(node, ())
    return doc


def _syntax_problem(error: yaml.MarkedYAMLError, file: str) -> PolicyProblem:
    mark = error.problem_mark or error.context_mark
    where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else f"{file}:1:1"
    what = error.problem or error.context or "invalid YAML"
    if error.context and error.problem:
        what = f"{error.problem} ({error.context})"
    return PolicyProblem(where, f"YAML syntax error: {what}")


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, file: str, doc: YamlDocument) -> None:
        self.loader = loader
        self.file = file
        self.doc = doc
        self.active: set[int] = set()  # nodes being built: catches recursive aliases

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        if id(node) in self.active:
            self._problem(node, "recursive YAML alias")
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return self._sequence(node, path)
            return self._scalar(node)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, "a key must be plain text, not a list or mapping")
                continue
            key = str(key_node.value)
            if key in result:
                self._problem(key_node, f"duplicate key '{key}'")
                continue
            self.doc.positions[(*path, key)] = _position(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _sequence(self, node: yaml.SequenceNode, path: KeyPath) -> list[Any]:
        items = []
        for index, item in enumerate(node.value):
            self.doc.positions[(*path, index)] = _position(item)
            items.append(self.build(item, (*path, index)))
        return items

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _TIMESTAMP_TAG:
            return str(node.value)
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            self._problem(node, f"YAML error: {error.problem}")
            return None

    def _problem(self, node: yaml.Node, message: str) -> None:
        line, col = _position(node)
        self.doc.problems.append(PolicyProblem(f"{self.file}:{line}:{col}", message))
