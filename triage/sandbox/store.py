"""The sandbox's storage: one SQLite connection behind a lock, a settable clock, settings."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from triage.sandbox.schema import SCHEMA, TABLES

Row = dict[str, Any]

ROOT_USER_ID = 1
ALL_SCOPES = ("api", "read_api", "read_user", "read_repository", "write_repository", "sudo")


def format_time(moment: datetime) -> str:
    """GitLab's timestamp form: UTC, milliseconds, `Z`."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(text: str) -> datetime:
    """Read an ISO 8601 date or date-time; naive values are taken as UTC."""
    value = text.strip().replace(" ", "+") if "T" in text else text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _dict_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Row:
    return {column[0]: value for column, value in zip(cursor.description, values, strict=True)}


@dataclass
class Settings:
    """What an operator can switch at runtime through the admin API."""

    tier: str = "free"
    lost_response_rate: float = 0.0
    lost_response_scope: str = "writes"
    seed: int = 0


@dataclass
class Store:
    """All sandbox state. Every request runs while holding `lock`, in one transaction."""

    root_token: str
    path: str = ":memory:"
    settings: Settings = field(default_factory=Settings)
    clock: datetime | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = _dict_row
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
        exists = self.one("SELECT name FROM sqlite_master WHERE type='table' AND name='users'")
        if exists is None:
            self.db.executescript(SCHEMA)
        self.ensure_root()

    # -- clock -------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock if self.clock is not None else datetime.now(UTC)

    def now_text(self) -> str:
        return format_time(self.now())

    # -- queries -----------------------------------------------------------------------
    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(self.db.execute(sql, tuple(params)).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self.db.execute(sql, tuple(params)).fetchone()
        return row

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.db.execute(sql, tuple(params)).fetchone()
        return None if row is None else next(iter(row.values()))

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute a write; answers the new row id for inserts."""
        cursor = self.db.execute(sql, tuple(params))
        return int(cursor.lastrowid or 0)

    def insert(self, table: str, values: Row) -> int:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        return self.run(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))

    def update(self, table: str, row_id: int, values: Row) -> None:
        if values:
            assignments = ", ".join(f"{column} = ?" for column in values)
            self.run(f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), row_id])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and commit everything done inside, or roll all of it back."""
        with self.lock:
            self.db.execute("BEGIN")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    # -- lifecycle ---------------------------------------------------------------------
    def ensure_root(self) -> None:
        with self.transaction():
            if self.one("SELECT id FROM users WHERE id = ?", [ROOT_USER_ID]) is None:
                now = self.now_text()
                namespace_id = self.insert(
                    "namespaces",
                    {
                        "kind": "user",
                        "name": "Administrator",
                        "path": "root",
                        "full_path": "root",
                        "owner_id": ROOT_USER_ID,
                        "created_at": now,
                    },
                )
                self.insert(
                    "users",
                    {
                        "id": ROOT_USER_ID,
                        "username": "root",
                        "name": "Administrator",
                        "email": "admin@example.com",
                        "is_admin": 1,
                        "namespace_id": namespace_id,
                        "created_at": now,
                    },
                )
            self.run("DELETE FROM tokens WHERE user_id = ? AND name = 'root'", [ROOT_USER_ID])
            self.insert(
                "tokens",
                {
                    "token": self.root_token,
                    "user_id": ROOT_USER_ID,
                    "name": "root",
                    "scopes": ",".join(ALL_SCOPES),
                    "created_at": self.now_text(),
                },
            )

    def reset(self) -> None:
        """Forget all data but the root user and its token."""
        with self.transaction():
            for table in TABLES:
                self.run(f"DELETE FROM {table}")
        self.ensure_root()
