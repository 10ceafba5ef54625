"""Start a throwaway sandbox (SQLite + gunicorn) for tests and benchmarks. Standard library only.

db = prepare_database(tmp_dir, data_dir)   # migrate + load_demo_data, in subprocesses
server = start_server(db, data_dir, log_path=tmp_dir / "gunicorn.log")
...
server.stop()
"""

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class SandboxServer:
    url: str  # ends in /v1/
    api_key: str
    user_email: str
    process: subprocess.Popen[bytes]
    database_url: str
    log_path: Path
    data_dir: Path

    def index_job(self, job: dict[str, Any]) -> dict[str, Any]:
        """POST job/indexing (as the SDK's job.storing.add_json does); returns the stored job.

        `job` must carry its `board_key`. Raises RuntimeError with the sandbox's answer on any
        status but 201.
        """
        request = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
            self.url + "job/indexing",
            data=json.dumps(job).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-API-KEY": self.api_key,
                "X-USER-EMAIL": self.user_email,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                body: dict[str, Any] = json.load(response)
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"job/indexing answered {exc.code}: {exc.read()[:500]!r}") from None
        return dict(body["data"])

    def create_board(self, name: str) -> str:
        """A new, empty board in this server's database (manage.py create_board); its key.

        Tests index their jobs into a board of their own so that the demo boards' rankings, which
        other tests read, never depend on which tests ran before."""
        result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [
                sys.executable,
                str(REPO / "manage.py"),
                "create_board",
                "--name",
                name,
                "--settings=sandbox.settings",
            ],
            cwd=REPO,
            env=sandbox_env(self.database_url, self.data_dir, self.log_path.parent),
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result.stdout.strip().splitlines()[-1]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def sandbox_env(database_url: str, data_dir: Path, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="sandbox.settings",
        SANDBOX_DATABASE_URL=database_url,
        DEMO_DATA_DIR=str(data_dir),
        HRFLOW_DASH_VAR_DIR=str(var_dir),
    )
    env.setdefault("DJANGO_SECRET_KEY", "sandbox-test-only")
    return env


def prepare_database(
    work_dir: Path, data_dir: Path, name: str = "sandbox.sqlite3", *, today: date | None = None
) -> str:
    """A fresh migrated SQLite loaded from data_dir; returns its database URL.

    `today`: the date load_demo_data moves the newest snapshot job to (default: today, UTC).
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{work_dir / name}"
    env = sandbox_env(database_url, data_dir, work_dir)
    manage = [sys.executable, str(REPO / "manage.py")]
    load = ["load_demo_data", *([f"--today={today.isoformat()}"] if today else [])]
    for command in (["migrate", "--noinput", "-v0"], load):
        subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [*manage, *command, "--settings=sandbox.settings"],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
    return database_url


def free_port() -> int:
    """A port that was free a moment ago: racy (another process may take it before it is used).
    Prefer `listening_socket()`, whose port stays held until the child owns it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening_socket() -> socket.socket:
    """A listening 127.0.0.1 socket on a port the kernel picked, to hand to gunicorn as
    `fd://N`: the port is never released between choosing it and serving on it (no race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def credentials() -> tuple[str, str]:
    from hrflow_dash import demo

    return (
        os.environ.get("SANDBOX_API_KEY", demo.DEMO_API_KEY),
        os.environ.get("SANDBOX_USER_EMAIL", demo.DEMO_USER_EMAIL),
    )


def start_server(
    database_url: str,
    data_dir: Path,
    *,
    log_path: Path,
    workers: int = 2,
    deadline_s: float = 120.0,
) -> SandboxServer:
    """gunicorn sandbox.wsgi on a free 127.0.0.1 port; returns once /v1/health answers 200."""
    listener = listening_socket()
    port = int(listener.getsockname()[1])
    env = sandbox_env(database_url, data_dir, log_path.parent)
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(BIN / "gunicorn"),
            "sandbox.wsgi",
            "--bind",
            f"fd://{listener.fileno()}",
            "--workers",
            str(workers),
            # --preload builds the engine once in the master; workers inherit it (wsgi.py).
            "--preload",
            # No control socket: gunicorn's default path is one per user, shared by every server.
            "--no-control-socket",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        pass_fds=(listener.fileno(),),
    )
    log.close()
    listener.close()  # the child holds its own copy
    api_key, user_email = credentials()
    server = SandboxServer(
        f"http://127.0.0.1:{port}/v1/", api_key, user_email, process, database_url, log_path, data_dir
    )
    health = server.url + "health"
    waited = 0.0
    step = 0.05
    while waited < deadline_s:
        try:
            with urllib.request.urlopen(health, timeout=2) as response:  # noqa: S310 - 127.0.0.1 only
                if response.status == 200 and json.load(response).get("code") == 200:
                    return server
        except OSError:
            pass
        try:
            # Waiting on the process doubles as the poll interval and notices an early exit.
            process.wait(timeout=step)
        except subprocess.TimeoutExpired:
            waited += step
            continue
        break
    server.stop()
    tail = log_path.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"sandbox did not become healthy on {health} within {deadline_s}s:\n{tail}")
