"""The sandbox's SQLite tables: one row shape per GitLab resource."""

from __future__ import annotations

SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'active',
    is_admin INTEGER NOT NULL DEFAULT 0,
    bot INTEGER NOT NULL DEFAULT 0,
    namespace_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at TEXT,
    revoked INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE namespaces (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    full_path TEXT NOT NULL UNIQUE COLLATE NOCASE,
    parent_id INTEGER,
    owner_id INTEGER,
    visibility TEXT NOT NULL DEFAULT 'private',
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    namespace_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    full_path TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT,
    visibility TEXT NOT NULL DEFAULT 'private',
    creator_id INTEGER,
    created_at TEXT NOT NULL,
    last_activity_at TEXT NOT NULL
);
CREATE TABLE project_group_links (
    project_id INTEGER NOT NULL,
    group_id INTEGER NOT NULL,
    access_level INTEGER NOT NULL,
    PRIMARY KEY (project_id, group_id)
);
CREATE TABLE members (
    source_type TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    access_level INTEGER NOT NULL,
    expires_at TEXT,
    created_at TEXT NOT NULL,
    created_by_id INTEGER,
    PRIMARY KEY (source_type, source_id, user_id)
);
CREATE TABLE labels (
    id INTEGER PRIMARY KEY,
    project_id INTEGER,
    group_id INTEGER,
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    description TEXT,
    priority INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX labels_by_owner ON labels (project_id, group_id, name);
CREATE TABLE issues (
    id INTEGER PRIMARY KEY,
    iid INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    state TEXT NOT NULL DEFAULT 'opened',
    author_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by_id INTEGER,
    due_date TEXT,
    confidential INTEGER NOT NULL DEFAULT 0,
    discussion_locked INTEGER,
    UNIQUE (project_id, iid)
);
CREATE INDEX issues_by_created ON issues (project_id, created_at);
CREATE TABLE issue_labels (
    issue_id INTEGER NOT NULL,
    label_id INTEGER NOT NULL,
    PRIMARY KEY (issue_id, label_id)
);
CREATE INDEX issue_labels_by_label ON issue_labels (label_id);
CREATE TABLE issue_assignees (
    issue_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (issue_id, user_id)
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    system INTEGER NOT NULL DEFAULT 0,
    internal INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notes_by_issue ON notes (issue_id);
CREATE TABLE label_events (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    label_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX label_events_by_issue ON label_events (issue_id);
CREATE TABLE state_events (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE issue_links (
    id INTEGER PRIMARY KEY,
    source_issue_id INTEGER NOT NULL,
    target_issue_id INTEGER NOT NULL,
    link_type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE boards (
    id INTEGER PRIMARY KEY,
    project_id INTEGER,
    group_id INTEGER,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE board_lists (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL,
    label_id INTEGER NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    mention TEXT NOT NULL,
    recipients TEXT NOT NULL,
    author_id INTEGER NOT NULL,
    issue_id INTEGER NOT NULL,
    note_id INTEGER,
    created_at TEXT NOT NULL
);
"""

TABLES = (
    "users",
    "tokens",
    "namespaces",
    "projects",
    "project_group_links",
    "members",
    "labels",
    "issues",
    "issue_labels",
    "issue_assignees",
    "notes",
    "label_events",
    "state_events",
    "issue_links",
    "boards",
    "board_lists",
    "notifications",
)
