"""`salsatam sandbox serve` starts a real server that python-gitlab can use."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import gitlab
import pytest
import requests

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_starts_quickly_loads_a_seed_file_and_logs_requests(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yml"
    seed.write_text("users:\n  - username: tam\ngroups:\n  - path: acme\n")
    port = _free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "salsatam"),
            "sandbox",
            "serve",
            "--port",
            str(port),
            "--root-token",
            "t0ken",
            "--tier",
            "premium",
            "--seed-file",
            str(seed),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(f"{url}/-/sandbox/settings", timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "sandbox did not start"
                time.sleep(0.05)
        gl = gitlab.Gitlab(url, private_token="t0ken")
        assert gl.groups.get("acme").path == "acme"
        assert gl.users.list(username="tam")[0].username == "tam"
        assert requests.get(f"{url}/-/sandbox/settings", timeout=1).json()["tier"] == "premium"
    finally:
        process.terminate()
        _, log = process.communicate(timeout=10)
    assert "GET /api/v4/groups/acme 200" in log
    assert "t0ken" not in log
