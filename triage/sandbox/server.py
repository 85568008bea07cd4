"""Run a sandbox in a background thread on a real HTTP server (waitress)."""

from __future__ import annotations

import threading
from types import TracebackType

from flask import Flask
from waitress.server import create_server

from triage.sandbox.app import SandboxConfig, create_app


class SandboxServer:
    """A sandbox listening on `host:port` (port 0 picks a free one) until `stop()`."""

    def __init__(
        self,
        config: SandboxConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 4,
    ) -> None:
        self.config = config or SandboxConfig()
        self.app: Flask = create_app(self.config)
        self._server = create_server(
            self.app,
            host=host,
            port=port,
            threads=threads,
            asyncore_loop_timeout=0.2,
            clear_untrusted_proxy_headers=True,
        )
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        """The base URL, without /api/v4."""
        return f"http://{self.host}:{self.port}"

    @property
    def token(self) -> str:
        return self.config.root_token

    def start(self) -> SandboxServer:
        self._thread = threading.Thread(target=self.serve_forever, name="sandbox", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve until `stop()`; sockets are closed by the thread that polls them."""
        server = self._server
        try:
            while not self._stopping.is_set():
                server.asyncore.loop(timeout=0.2, map=server._map, count=1)
        finally:
            server.task_dispatcher.shutdown()
            for channel in list(server._map.values()):
                channel.close()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
