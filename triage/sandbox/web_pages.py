"""The HTML of the sandbox's web view: Jinja templates with autoescaping on everything."""

from __future__ import annotations

from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined

from triage.sandbox.web_data import when
from triage.sandbox.web_markdown import render

FOOTER = "salsatam sandbox: a local stand-in for GitLab, not GitLab"
# Nothing but inline styles: no scripts, no remote fetches, no forms.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

_LAYOUT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{% block title %}{% endblock %} · salsatam sandbox</title>
<style>
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
  color: #1f1e24; background: #fbfafd; }
header.bar { background: #3a3483; color: #fff; padding: .5rem 1.5rem; }
header.bar a { color: #fff; text-decoration: none; font-weight: 600; }
header.bar .crumbs a { font-weight: 400; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 2rem; }
footer { border-top: 1px solid #dcdcde; color: #626168; font-size: .85rem;
  padding: .75rem 1.5rem; text-align: center; }
a { color: #1f75cb; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.muted { color: #626168; }
.state { display: inline-block; border-radius: 1rem; padding: 0 .6rem; color: #fff;
  font-size: .85rem; }
.state.opened { background: #108548; }
.state.closed { background: #1f75cb; }
.confidential { display: inline-block; border-radius: 1rem; padding: 0 .6rem;
  background: #fdf1dd; color: #8f4700; border: 1px solid #e9be74; font-size: .85rem;
  font-weight: 600; }
.internal { color: #8f4700; font-weight: 600; font-size: .85rem; }
.chip { display: inline-flex; border-radius: 1rem; font-size: .8rem; margin: 0 .2rem .2rem 0;
  overflow: hidden; white-space: nowrap; vertical-align: middle; }
.chip span { padding: 0 .55rem; }
.chip .value { background: #fff; color: #1f1e24; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem;
  margin: 1rem 0; }
.meta dt { color: #626168; }
.meta dd { margin: 0; }
.description, .note .body { background: #fff; border: 1px solid #dcdcde; border-radius: 4px;
  padding: .25rem 1rem; overflow-wrap: anywhere; }
.description pre, .note pre { background: #f0f0f2; padding: .5rem; overflow-x: auto; }
.notes { list-style: none; padding: 0; }
.note { margin: .75rem 0; }
.note.system { color: #737278; font-size: .9rem; margin: .3rem 0; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
table.issues { border-collapse: collapse; width: 100%; }
table.issues td { border-top: 1px solid #ececef; padding: .4rem .5rem; vertical-align: top; }
tr.closed td { color: #737278; }
.board { display: flex; gap: .75rem; overflow-x: auto; align-items: flex-start; }
.column { background: #f0f0f2; border-radius: 4px; min-width: 16rem; flex: 0 0 16rem;
  padding: .5rem; }
.column h3 { font-size: .95rem; margin: 0 0 .5rem; display: flex;
  justify-content: space-between; }
.card { background: #fff; border: 1px solid #dcdcde; border-radius: 4px; padding: .4rem .5rem;
  margin-bottom: .4rem; font-size: .9rem; }
ul.plain { padding-left: 1.2rem; }
</style>
</head>
<body>
<header class="bar"><a href="/">salsatam sandbox</a>
{%- block crumbs %}{% endblock %}</header>
<main>
{% block body %}{% endblock %}
</main>
<footer>{{ footer }}. Read-only view of the sandbox's data, shown as an administrator sees it;
the API is under <code>/api/v4</code>.</footer>
</body>
</html>
"""

_MACROS = """
{% macro chips(labels) -%}
{% for label in labels -%}
{% if label.scope -%}
<span class="chip" style="border: 1px solid {{ label.color }}" title="{{ label.name }}">
<span style="background: {{ label.color }}; color: {{ label.text_color }}">{{ label.scope }}</span>
<span class="value">{{ label.value }}</span></span>
{%- else -%}
<span class="chip" title="{{ label.name }}">
<span style="background: {{ label.color }}; color: {{ label.text_color }}">{{ label.name }}</span>
</span>
{%- endif %}
{% endfor -%}
{%- endmacro %}
{% macro state(row) -%}
<span class="state {{ row.state }}">{{ "Open" if row.state == "opened" else "Closed" }}</span>
{%- if row.confidential %} <span class="confidential">Confidential</span>{% endif %}
{%- endmacro %}
{% macro person(row) -%}
<a href="/{{ row.username }}">{{ row.name }}</a> <span class="muted">@{{ row.username }}</span>
{%- endmacro %}
{% macro crumbs(path) -%}
{% set parts = path.split("/") %}
{% for part in parts %} / <a class="crumbs" href="/{{ parts[: loop.index] | join("/") }}">
{{- part }}</a>{% endfor %}
{%- endmacro %}
"""

_HOME = """{% extends "layout" %}{% import "macros" as m %}
{% block title %}Groups and projects{% endblock %}
{% block body %}
<h1>Groups and projects</h1>
<p class="muted">Every group and project in this sandbox.</p>
<h2>Groups</h2>
{% if groups %}<ul class="plain">
{% for group in groups %}<li><a href="/groups/{{ group.full_path }}">{{ group.full_path }}</a>
<span class="muted">{{ group.name }}</span></li>
{% endfor %}</ul>{% else %}<p class="muted">No groups yet.</p>{% endif %}
<h2>Projects</h2>
{% if projects %}<ul class="plain">
{% for project in projects %}<li><a href="/{{ project.full_path }}">{{ project.full_path }}</a>
<span class="muted">{{ project.name }}</span>
· <a href="/{{ project.full_path }}/-/issues">issues</a>
· <a href="/{{ project.full_path }}/-/boards">boards</a></li>
{% endfor %}</ul>{% else %}<p class="muted">No projects yet.</p>{% endif %}
{% endblock %}
"""

_GROUP = """{% extends "layout" %}{% import "macros" as m %}
{% block title %}{{ group.full_path }}{% endblock %}
{% block crumbs %}{{ m.crumbs(group.full_path) }}{% endblock %}
{% block body %}
<h1>{{ group.name }} <span class="muted">group {{ group.full_path }}</span></h1>
{% if group.description %}<p>{{ group.description }}</p>{% endif %}
<p><a href="/groups/{{ group.full_path }}/-/boards">Group boards ({{ board_count }})</a></p>
{% if subgroups %}<h2>Subgroups</h2><ul class="plain">
{% for sub in subgroups %}<li><a href="/groups/{{ sub.full_path }}">{{ sub.full_path }}</a></li>
{% endfor %}</ul>{% endif %}
<h2>Projects</h2>
{% if projects %}<ul class="plain">
{% for project in projects %}<li><a href="/{{ project.full_path }}">{{ project.name }}</a>
· <a href="/{{ project.full_path }}/-/issues">issues</a>
· <a href="/{{ project.full_path }}/-/boards">boards</a></li>
{% endfor %}</ul>{% else %}<p class="muted">No projects.</p>{% endif %}
{% endblock %}
"""

_PROJECT = """{% extends "layout" %}{% import "macros" as m %}
{% block title %}{{ project.full_path }}{% endblock %}
{% block crumbs %}{{ m.crumbs(project.full_path) }}{% endblock %}
{% block body %}
<h1>{{ project.name }} <span class="muted">{{ project.full_path }}</span></h1>
{% if project.description %}<p>{{ project.description }}</p>{% endif %}
<ul class="plain">
<li><a href="/{{ project.full_path }}/-/issues">Issues</a>: {{ open_count }} open,
{{ closed_count }} closed</li>
<li><a href="/{{ project.full_path }}/-/boards">Boards</a>:
{% for board in boards %}<a href="/{{ project.full_path }}/-/boards/{{ board.id }}">
{{- board.name }}</a>{% if not loop.last %}, {% endif %}{% else %}none{% endfor %}</li>
</ul>
{% endblock %}
"""

_ISSUE_TABLE = """
{% macro issue_table(issues) -%}
<table class="issues">
{% for item in issues %}<tr class="{{ item.row.state }}">
<td>{{ m.state(item.row) }}</td>
<td><a href="{{ item.href }}">{{ item.row.title }}</a>
<span class="muted">{{ item.ref }}</span><br>{{ m.chips(item.labels) }}</td>
<td class="muted">{% for person in item.assignees %}@{{ person.username }}{% if not loop.last %},
{% endif %}{% endfor %}</td>
<td class="muted">{% if item.row.due_date %}due {{ item.row.due_date }}{% endif %}</td>
</tr>
{% endfor %}</table>
{%- endmacro %}
"""

_ISSUES = """{% extends "layout" %}{% import "macros" as m %}{% import "table" as t %}
{% block title %}Issues · {{ project.full_path }}{% endblock %}
{% block crumbs %}{{ m.crumbs(project.full_path) }} / issues{% endblock %}
{% block body %}
<h1>Issues <span class="muted">{{ project.full_path }}</span></h1>
<p class="muted">{{ open_count }} open, {{ issues | length - open_count }} closed;
open first, newest first.</p>
{% if issues %}{{ t.issue_table(issues) }}{% else %}<p class="muted">No issues.</p>{% endif %}
{% endblock %}
"""

_ISSUE = """{% extends "layout" %}{% import "macros" as m %}
{% block title %}{{ item.row.title }} ({{ item.ref }}){% endblock %}
{% block crumbs %}{{ m.crumbs(item.path) }} / <a href="/{{ item.path }}/-/issues">issues</a>
/ #{{ item.row.iid }}{% endblock %}
{% block body %}
<p>{{ m.state(item.row) }} <span class="muted">{{ item.ref }}</span></p>
{% if item.row.confidential %}<p class="confidential">Confidential: only project members
with Reporter access and up, the author and the assignees see this issue in GitLab.</p>
{% endif %}
<h1>{{ item.row.title }}</h1>
<dl class="meta">
<dt>Labels</dt><dd>{{ m.chips(item.labels) if item.labels else "none" }}</dd>
<dt>Assignees</dt><dd>{% for person in item.assignees %}{{ m.person(person) }}
{%- if not loop.last %}, {% endif %}{% else %}none{% endfor %}</dd>
<dt>Due date</dt><dd>{{ item.row.due_date or "none" }}</dd>
<dt>Author</dt><dd>{{ m.person(users[item.row.author_id]) if item.row.author_id in users
  else "unknown" }}</dd>
<dt>Created</dt><dd>{{ item.row.created_at | when }}</dd>
<dt>Updated</dt><dd>{{ item.row.updated_at | when }}</dd>
{% if item.row.closed_at %}<dt>Closed</dt><dd>{{ item.row.closed_at | when }}</dd>{% endif %}
</dl>
<h2>Description</h2>
<div class="description">{% if item.row.description %}{{ item.row.description | markdown }}
{% else %}<p class="muted">No description.</p>{% endif %}</div>
<h2>Linked issues</h2>
{% if links %}<ul class="plain">
{% for kind, other in links %}<li>{{ kind }} {{ m.state(other.row) }}
<a href="{{ other.href }}">{{ other.row.title }}</a> <span class="muted">{{ other.ref }}</span>
</li>{% endfor %}</ul>{% else %}<p class="muted">None.</p>{% endif %}
<h2>Activity ({{ notes | length }})</h2>
<ul class="notes">
{% for note in notes %}{% set author = users.get(note.author_id) %}
{% if note.system %}<li class="note system" id="note_{{ note.id }}"
 title="{{ note.body }}">· {{ author.name if author else "someone" }}
{{ note.body.splitlines()[0] if note.body else "" }} · {{ note.created_at | when }}</li>
{% else %}<li class="note" id="note_{{ note.id }}">
<div>{{ m.person(author) if author else "someone" }}
<span class="muted">· {{ note.created_at | when }}</span>
{% if note.internal %} <span class="internal">internal note</span>{% endif %}</div>
<div class="body">{{ note.body | markdown }}</div></li>
{% endif %}{% else %}<li class="muted">No notes.</li>{% endfor %}
</ul>
{% endblock %}
"""

_BOARDS = """{% extends "layout" %}{% import "macros" as m %}
{% block title %}Boards · {{ owner }}{% endblock %}
{% block crumbs %}{{ m.crumbs(owner_path) }} / boards{% endblock %}
{% block body %}
<h1>Boards <span class="muted">{{ owner }}</span></h1>
<p class="muted">Each list shows the open issues carrying its label.</p>
{% for board in boards %}
<section class="board-section" id="board-{{ board.row.id }}">
<h2><a href="{{ base }}/{{ board.row.id }}">{{ board.row.name }}</a></h2>
{% if board.columns %}<div class="board">
{% for column in board.columns %}<div class="column">
<h3>{{ m.chips([column.label]) }}<span class="muted">{{ column.issues | length }}</span></h3>
{% for item in column.issues %}<div class="card">
<a href="{{ item.href }}">{{ item.row.title }}</a>
{% if item.row.confidential %}<span class="confidential">Confidential</span>{% endif %}<br>
<span class="muted">{{ item.ref }}</span> {{ m.chips(item.labels) }}</div>
{% endfor %}</div>
{% endfor %}</div>{% else %}<p class="muted">No lists.</p>{% endif %}
</section>
{% else %}<p class="muted">No boards.</p>{% endfor %}
{% endblock %}
"""

_USER = """{% extends "layout" %}{% import "macros" as m %}{% import "table" as t %}
{% block title %}{{ person.name }}{% endblock %}
{% block body %}
<h1>{{ person.name }} <span class="muted">@{{ person.username }}</span></h1>
<h2>Open issues assigned</h2>
{% if issues %}{{ t.issue_table(issues) }}{% else %}<p class="muted">None.</p>{% endif %}
{% endblock %}
"""

_NOT_FOUND = """{% extends "layout" %}
{% block title %}Not found{% endblock %}
{% block body %}
<h1>404: page not found</h1>
<p>The sandbox's web view has no page at <code>{{ path }}</code>.
It shows groups and projects, issues (<code>/group/project/-/issues/1</code>) and boards
(<code>/group/project/-/boards</code>); <a href="/">start here</a>.</p>
{% endblock %}
"""

TEMPLATES = {
    "layout": _LAYOUT,
    "macros": _MACROS,
    "table": '{% import "macros" as m %}' + _ISSUE_TABLE,
    "home": _HOME,
    "group": _GROUP,
    "project": _PROJECT,
    "issues": _ISSUES,
    "issue": _ISSUE,
    "boards": _BOARDS,
    "user": _USER,
    "not_found": _NOT_FOUND,
}


def _environment() -> Environment:
    env = Environment(
        loader=DictLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = render
    env.filters["when"] = when
    env.globals["footer"] = FOOTER
    return env


_ENV = _environment()


def page(name: str, **values: Any) -> str:
    return _ENV.get_template(name).render(**values)
