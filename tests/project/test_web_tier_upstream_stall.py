"""The Procfile's web process (what `make run` starts) stays responsive while HrFlow hangs.

Upstream is a TCP server that accepts connections and never answers (a hung HrFlow). Searches
that reach it hold a request handler until the client's read timeout; the login page, which
needs no upstream, must answer while they are all still held.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from hrflow_dash import demo
from sandbox.devserver import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HUNG_SEARCHES = 6  # more than the old web tier's two sync workers

pytestmark = pytest.mark.slow


class HungUpstream:
    """Accepts every connection, reads nothing back, answers nothing, until released."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.accepted: list[socket.socket] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1/"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.accepted.append(conn)

    def held(self) -> int:
        with self.lock:
            return len(self.accepted)

    def release(self) -> None:
        self.sock.close()
        with self.lock:
            for conn in self.accepted:
                conn.close()


def _wait_for(probe: Callable[[], bool], *, deadline_s: float, what: str) -> None:
    deadline = time.monotonic() + deadline_s
    event = threading.Event()
    while time.monotonic() < deadline:
        if probe():
            return
        event.wait(0.05)
    raise AssertionError(f"{what}: not after {deadline_s}s")


def _control_socket_appears(home: Path) -> bool:
    """gunicorn's master opens its control socket just after spawning the workers, so a worker
    may answer before it exists: give it a moment to appear."""
    path = home / ".gunicorn" / "gunicorn.ctl"
    try:
        _wait_for(path.exists, deadline_s=5, what="control socket")
    except AssertionError:
        return False
    return True


def _login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    response = session.post(
        base + "login/",
        data={"username": "demo", "password": "demo", "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": base + "login/"},
        timeout=30,
        allow_redirects=False,  # the search page it leads to would ask the hung upstream for boards
    )
    assert response.status_code == 302, response.text[:500]
    assert "sessionid" in session.cookies
    return session


@pytest.fixture(scope="module")
def stall_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """honcho runs the Procfile's web line against a hung upstream, with HOME in a temp dir."""
    tmp = tmp_path_factory.mktemp("stall")
    home = tmp / "home"
    home.mkdir()
    upstream = HungUpstream()
    web_port = free_port()
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "DJANGO_SECRET_KEY": "stall-test-key",
        "HRFLOW_DASH_VAR_DIR": str(tmp / "var"),
        "DATABASE_URL": f"sqlite:///{tmp / 'web.sqlite3'}",
        "CACHE_URL": "locmem://",
        "WEB_PORT": str(web_port),
        "HRFLOW_API_URL": upstream.url,
        # A hung search stays hung until the test releases the upstream: on a loaded machine the
        # default 5 s read timeout could end one before the login page is asked for.
        "HRFLOW_TIMEOUT_INTERACTIVE": "60",
        "HRFLOW_RETRY_TOTAL_SECONDS": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("XDG_RUNTIME_DIR", None)  # gunicorn's default control socket would go there first
    setup = (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["ensure_demo_user"])
    for command in setup:
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300,
            capture_output=True,
        )  # fmt: skip
    process = subprocess.Popen(
        [str(BIN / "honcho"), "start", "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{web_port}/"

    def up() -> bool:
        try:
            return requests.get(base + "login/", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    try:
        _wait_for(up, deadline_s=90, what="web answers /login/")
        yield {"base": base, "upstream": upstream, "home": home}
    finally:
        upstream.release()
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def test_login_page_answers_while_searches_hang_on_upstream(stall_stack: dict[str, object]) -> None:
    base = str(stall_stack["base"])
    upstream = stall_stack["upstream"]
    assert isinstance(upstream, HungUpstream)
    sessions = [_login(base) for _ in range(HUNG_SEARCHES)]
    search = (
        f"{base}?source_key={demo.DEMO_SOURCE_KEYS[0]}&profile_key={'a' * 40}"
        f"&board_keys={demo.DEMO_BOARD_KEYS[0]}"
    )
    with ThreadPoolExecutor(HUNG_SEARCHES) as pool:
        searches: list[Future[requests.Response]] = [
            pool.submit(s.get, search, timeout=120) for s in sessions
        ]
        # Every web handler that can take a search is now stuck on the hung upstream (two with
        # the old sync workers, all of them with threads).
        _wait_for(
            lambda: upstream.held() >= HUNG_SEARCHES, deadline_s=60, what="every search reached upstream"
        )
        login = requests.get(base + "login/", timeout=120)
        still_hung = sum(not f.done() for f in searches)
        assert login.status_code == 200
        assert still_hung == HUNG_SEARCHES, "the login page waited for hung searches to give up"
        upstream.release()  # HrFlow drops the connections: each search ends now
        answers = [f.result() for f in searches]
    # The held searches end with the recruiter's error panel, not a 500.
    for answer in answers:
        assert answer.status_code == 200
        assert "HrFlow" in answer.text


def test_web_process_does_not_use_the_shared_control_socket(stall_stack: dict[str, object]) -> None:
    home = Path(str(stall_stack["home"]))
    # gunicorn >= 23 listens on $HOME/.gunicorn/gunicorn.ctl unless told otherwise: every
    # gunicorn of the user (web, sandbox, another checkout) would share, and steal, that path.
    assert not _control_socket_appears(home)


def test_sandbox_server_does_not_use_the_shared_control_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    from tests.fixtures.sandbox import start_private_sandbox

    server = start_private_sandbox(tmp_path, jobs=20, profiles=2)
    try:
        assert not _control_socket_appears(tmp_path / "home")
    finally:
        server.stop()  # type: ignore[attr-defined]
