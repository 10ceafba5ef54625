"""A tiny HTTP proxy for the saved-search refresh benchmark and the load test: adds latency
(optionally ± a jitter fraction), enforces a requests-per-minute cap the way a vendor API does
(sliding 60 s window, 429 + Retry-After over the cap), and can stall like a hung upstream
(`stall(seconds)`: requests are accepted and get no answer until the stall ends). Standard
library only; runs in a thread of the benchmark process, or in a process of its own
(`ProxyProcess`), so that a benchmark timing its process's CPU does not count the proxy's:
production has no proxy."""

from __future__ import annotations

import argparse
import collections
import http.client
import math
import random
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

WINDOW_SECONDS = 60.0


class RateCappedProxy:
    def __init__(
        self, upstream_url: str, *, cap_per_minute: int, latency: float, jitter: float = 0.0
    ) -> None:
        parts = urlsplit(upstream_url)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.cap = cap_per_minute
        self.latency = latency
        self.jitter = jitter
        self.stalled_until = 0.0  # time.monotonic(); requests arriving before it hang
        self.stall_over = threading.Event()
        self.stall_over.set()
        self.lock = threading.Lock()
        self.accepted: collections.deque[float] = collections.deque()
        self.forwarded: list[float] = []  # arrival times of requests passed upstream
        self.rejected = 0
        self.in_flight = 0
        self.peak_in_flight = 0
        self.local = threading.local()
        handler = self._handler_class()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/"

    def start(self) -> RateCappedProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def stall(self, seconds: float) -> None:
        """Hang every request (new and in flight) for `seconds`, as a stuck upstream does."""
        self.stalled_until = time.monotonic() + seconds
        self.stall_over.clear()
        timer = threading.Timer(seconds, self.stall_over.set)
        timer.daemon = True
        timer.start()

    def delay(self) -> float:
        return self.latency * (1 + random.uniform(-self.jitter, self.jitter))

    def admit(self) -> float | None:
        """None if admitted, else the seconds until a slot frees up (Retry-After)."""
        now = time.monotonic()
        with self.lock:
            while self.accepted and self.accepted[0] <= now - WINDOW_SECONDS:
                self.accepted.popleft()
            if len(self.accepted) >= self.cap:
                self.rejected += 1
                return self.accepted[0] + WINDOW_SECONDS - now
            self.accepted.append(now)
            self.forwarded.append(time.time())
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            return None

    def done(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def connection(self) -> http.client.HTTPConnection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=60)
            self.local.conn = conn
        return conn

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if not self.path.endswith("/health"):
                    wait = proxy.admit()
                    if wait is not None:
                        payload = b'{"code": 429, "message": "rate limit exceeded"}'
                        self.send_response(429)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Retry-After", str(max(1, math.ceil(wait))))
                        self.send_header("Content-Length", str(len(payload)))
                        self.end_headers()
                        self.wfile.write(payload)
                        return
                try:
                    time.sleep(proxy.delay())
                    proxy.stall_over.wait()  # a hung upstream: no answer until it is back
                    headers = {
                        k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                    }
                    conn = proxy.connection()
                    try:
                        conn.request(self.command, self.path, body=body, headers=headers)
                        response = conn.getresponse()
                    except (http.client.HTTPException, OSError):
                        conn.close()
                        conn.request(self.command, self.path, body=body, headers=headers)
                        response = conn.getresponse()
                    data = response.read()
                finally:
                    proxy.done()
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _relay
            do_POST = _relay

        return Handler


class ProxyProcess:
    """A `RateCappedProxy` in a child process (`python benchmarks/_refresh_proxy.py`): its URL,
    its peak of requests in flight (asked over the child's stdin), `stop()`. Latency and cap
    only (no stall)."""

    def __init__(self, upstream_url: str, *, cap_per_minute: int, latency: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, upstream_url, f"--cap={cap_per_minute}", f"--latency={latency}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url:
            raise RuntimeError("the proxy process did not start")

    def _ask(self, command: str) -> str:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    @property
    def peak_in_flight(self) -> int:
        return int(self._ask("peak"))

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()  # the child stops at end of input
        self.process.wait(timeout=30)


def _serve() -> None:
    parser = argparse.ArgumentParser(description="RateCappedProxy in a process of its own")
    parser.add_argument("upstream_url")
    parser.add_argument("--cap", type=int, required=True)
    parser.add_argument("--latency", type=float, required=True)
    args = parser.parse_args()
    proxy = RateCappedProxy(args.upstream_url, cap_per_minute=args.cap, latency=args.latency).start()
    print(proxy.url, flush=True)
    for line in sys.stdin:
        if line.strip() == "peak":
            print(proxy.peak_in_flight, flush=True)
    proxy.stop()


if __name__ == "__main__":
    _serve()
