"""The Procfile's real processes (ALL of them: web, sandbox, worker, beat, mail) start and answer:
what `make run` serves, on free ports. The web serves the login page, the sandbox scores, the
worker answers a Celery ping, beat's tick reaches the worker and runs, and the mail process
stores what it receives where the Outbox reads it.

Ports: honcho's command lines take a port number, so they cannot inherit a bound socket; a port
another process took between choosing and binding shows as "Address already in use" and the
whole set is started again on new ports (at most three tries)."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hrflow_dash import demo
from sandbox.devserver import free_port, prepare_database
from tests.integration.celeryprocs import wait_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def _wait_for(probe: Callable[[], bool], *, deadline_s: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if probe():
            return
        try:
            process.wait(timeout=0.1)  # doubles as the poll interval; notices an early exit
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"honcho exited early with {process.returncode}")
    raise AssertionError(f"not ready after {deadline_s}s")


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


ATTEMPTS = 3
# The beat tick, shortened through the variable production reads (hrflow_dash/settings.py).
TICK_SECONDS = "1"


def _start(tmp: Path, sandbox_db: str) -> tuple[subprocess.Popen[bytes], dict[str, str], Path]:
    web_port, sandbox_port, mail_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "DJANGO_SECRET_KEY": "procfile-smoke-test-key",
        "HRFLOW_DASH_VAR_DIR": str(tmp / "var"),
        "DATABASE_URL": f"sqlite:///{tmp / 'web.sqlite3'}",
        "CACHE_URL": "locmem://",
        "SANDBOX_DATABASE_URL": sandbox_db,
        "WEB_PORT": str(web_port),
        "SANDBOX_PORT": str(sandbox_port),
        "MAIL_PORT": str(mail_port),
        "HRFLOW_API_URL": f"http://127.0.0.1:{sandbox_port}/v1/",
        "REFRESH_TICK_SECONDS": TICK_SECONDS,
        "PYTHONUNBUFFERED": "1",
    }
    # Each Procfile line picks its own settings module (web: hrflow_dash, sandbox: sandbox);
    # the test run's module must not leak into them.
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The same set-up steps as `make run` (manifest static storage needs collectstatic).
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
    log_path = tmp / f"honcho-{web_port}.log"
    with log_path.open("wb") as log:
        # honcho runs the Procfile's own command lines (all of them): the ones `make run` starts.
        process = subprocess.Popen(
            [str(BIN / "honcho"), "start"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    urls = {
        "web": f"http://127.0.0.1:{web_port}/",
        "sandbox": f"http://127.0.0.1:{sandbox_port}/v1/",
        "mail_port": str(mail_port),
    }
    return process, {**urls, "log": str(log_path)}, log_path


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def procfile_processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    tmp = tmp_path_factory.mktemp("procfile")
    sandbox_db = prepare_database(tmp, ROOT / "data" / "demo")
    for attempt in range(1, ATTEMPTS + 1):
        process, urls, log_path = _start(tmp, sandbox_db)
        try:
            web, sandbox = urls["web"], urls["sandbox"]
            _wait_for(lambda: _get(web + "login/")[0] == 200, deadline_s=90, process=process)  # noqa: B023
            _wait_for(lambda: _get(sandbox + "health")[0] == 200, deadline_s=120, process=process)  # noqa: B023
        except AssertionError:
            _stop(process)
            output = log_path.read_text(errors="replace")
            if "Address already in use" in output and attempt < ATTEMPTS:
                continue  # a port was taken between choosing it and binding it: new ports
            raise AssertionError(output[-4000:]) from None
        break
    try:
        yield {**urls, "env_dir": str(tmp)}
    finally:
        _stop(process)


def test_web_serves_the_login_page(procfile_processes: dict[str, str]) -> None:
    status, body = _get(procfile_processes["web"] + "login/")
    assert status == 200
    assert b"Log in" in body
    # WhiteNoise serves the stylesheet from the same process.
    assert _get(procfile_processes["web"] + "static/css/app.css")[0] == 200


def test_web_answers_health_and_readiness_probes(procfile_processes: dict[str, str]) -> None:
    # What `make run` serves: alive, and ready on the embedded defaults (SQLite, filesystem broker).
    status, body = _get(procfile_processes["web"] + "healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, body = _get(procfile_processes["web"] + "readyz")
    assert status == 200, body
    assert json.loads(body)["status"] == "ok"
    # Probes stay out of the access log at INFO; pages do not.
    assert "GET /readyz" not in _log(procfile_processes)
    assert "GET /login/" in _log(procfile_processes)


def test_sandbox_answers_an_authenticated_scoring_request(procfile_processes: dict[str, str]) -> None:
    base = procfile_processes["sandbox"]
    headers = {"X-API-KEY": demo.DEMO_API_KEY, "X-USER-EMAIL": demo.DEMO_USER_EMAIL}
    source_key = demo.DEMO_SOURCE_KEYS[0]
    query = urllib.parse.urlencode({"source_keys": json.dumps([source_key]), "limit": 1})
    status, body = _get(f"{base}storing/profiles?{query}", headers)
    assert status == 200, body
    profile_key = json.loads(body)["data"][0]["key"]
    params = {
        "board_keys": json.dumps(demo.DEMO_BOARD_KEYS),
        "source_key": source_key,
        "profile_key": profile_key,
        "algorithm_key": demo.DEMO_ALGORITHM_KEYS[0],
        "sort_by": "scoring",
        "order_by": "desc",
        "limit": 5,
    }
    status, body = _get(f"{base}jobs/scoring?{urllib.parse.urlencode(params)}", headers)
    assert status == 200, body
    payload = json.loads(body)
    scores = [prediction[1] for prediction in payload["data"]["predictions"]]
    assert len(payload["data"]["jobs"]) == 5
    assert scores == sorted(scores, reverse=True)
    assert payload["meta"]["total"] > 1000

    status, body = _get(f"{base}jobs/scoring?{urllib.parse.urlencode(params)}", {})
    assert status == 401
    assert json.loads(body)["code"] == 401


def _log(urls: dict[str, str]) -> str:
    return Path(urls["log"]).read_text(errors="replace")


def _celery(urls: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "procfile-smoke-test-key",
        "HRFLOW_DASH_VAR_DIR": str(Path(urls["env_dir"]) / "var"),
        "DATABASE_URL": f"sqlite:///{Path(urls['env_dir']) / 'web.sqlite3'}",
        "CACHE_URL": "locmem://",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(BIN / "celery"), "-A", "hrflow_dash", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_worker_answers_a_ping(procfile_processes: dict[str, str]) -> None:
    def pong() -> bool:
        done = _celery(procfile_processes, "inspect", "ping", "--timeout", "5")
        return done.returncode == 0 and "pong" in done.stdout

    try:
        wait_for(pong, timeout=90, what="a pong from the Procfile's worker")
    except AssertionError:
        print(_log(procfile_processes)[-4000:])
        raise
    # The worker that answered is the Procfile's (honcho names its lines worker.1, beat.1, ...).
    assert re.search(r"worker\.1\s*\|.*ready", _log(procfile_processes)), _log(procfile_processes)[-3000:]


def test_beat_sends_a_tick_that_the_worker_runs(procfile_processes: dict[str, str]) -> None:
    sent = re.compile(r"beat\.1\s*\|.*Sending due task saved-searches-tick \(saved_searches\.tick\)")
    ran = re.compile(r"worker\.1\s*\|.*Task saved_searches\.tick\[[0-9a-f-]+\] succeeded")
    try:
        wait_for(
            lambda: sent.search(_log(procfile_processes)) and ran.search(_log(procfile_processes)),
            timeout=90,
            what="beat's tick, run by the worker",
        )
    except AssertionError:
        print(_log(procfile_processes)[-4000:])
        raise


def test_the_mail_process_stores_what_it_receives_under_var_mail(procfile_processes: dict[str, str]) -> None:
    import smtplib
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", "smoke"
    message.set_content("hello from the smoke test")
    port = int(procfile_processes["mail_port"])
    folder = Path(procfile_processes["env_dir"]) / "var" / "mail"

    def sent() -> bool:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
                smtp.send_message(message)
        except OSError:
            return False  # not listening yet
        return True

    wait_for(sent, timeout=60, what="the mail process to accept a message")
    stored = list(folder.glob("*.eml"))
    assert len(stored) == 1
    assert b"hello from the smoke test" in stored[0].read_bytes()
