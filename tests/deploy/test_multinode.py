"""Two web nodes (separate working directories, no shared var/) behind a real nginx rendered from
deploy/nginx/hrflow_dash.conf.in, two Celery worker nodes and one beat, all on 127.0.0.1, sharing
only PostgreSQL, Redis and the HrFlow sandbox:

* a recruiter logs in through nginx and is served by both nodes in turn (X-Served-By) without
  losing the session; search, save and open work across them;
* 200 due saved searches are refreshed exactly once between the two worker nodes;
* stopping one web node mid-traffic loses no request nginx can retry, and no saved search.

Ports: the nodes' gunicorn and nginx listen on sockets this test bound (gunicorn `fd://`, nginx's
inherited-socket variable NGINX="fd;"), so no port is chosen and released (no race).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from deploy.render_nginx import render
from sandbox.devserver import listening_socket
from saved_searches.models import RunStatus, SavedSearch, SearchRun
from saved_searches.services import crud
from scoring import selectors
from scoring.hrflow.query import JobQuery
from tests.integration.celeryprocs import CeleryProcesses, wait_for
from tests.ops.helpers import WebProcess, start_web

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "pw-multinode-recruiter-1"
SEARCHES = 200
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _database_url_of_test_db() -> str:
    """DATABASE_URL with the test database's name (pytest-django created test_<name>)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + str(connection.settings_dict["NAME"])))


@pytest.fixture
def node_env(live_sandbox: Any) -> dict[str, str]:
    if NGINX is None:  # before any node starts; under CI=true a skip fails the run
        pytest.skip("no nginx (apt-get install -y nginx); .ci/run installs it")
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "multinode-test-secret-key-shared-by-all-nodes-0123456789",
        "DATABASE_URL": _database_url_of_test_db(),
        "HRFLOW_API_URL": live_sandbox.url,
        "HRFLOW_API_KEY": live_sandbox.api_key,
        "HRFLOW_USER_EMAIL": live_sandbox.user_email,
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_FORMAT": "json",
        "REFRESH_TICK_SECONDS": "1",
        "DEMO_FEED_EVERY_SECONDS": "3600",  # never during the test (it would index into the sandbox)
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "8",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # production settings, as a node runs them
    return env


def _node(env: dict[str, str], tmp: Path, name: str) -> tuple[dict[str, str], Path]:
    workdir = tmp / name
    return {**env, "NODE_NAME": name, "HRFLOW_DASH_VAR_DIR": str(workdir / "var")}, workdir


def _collectstatic(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
    )


@pytest.fixture
def web_nodes(node_env: dict[str, str], tmp_path: Path) -> Iterator[dict[str, WebProcess]]:
    envs = {name: _node(node_env, tmp_path, name) for name in ("web-a", "web-b")}
    # One build, copied to each node as a deploy ships the same artifact (collectstatic
    # compresses every file: ~30 s on the shared machine).
    assert _collectstatic(envs["web-a"][0]).wait(timeout=300) == 0
    shutil.copytree(tmp_path / "web-a" / "var" / "staticfiles", tmp_path / "web-b" / "var" / "staticfiles")
    nodes: dict[str, WebProcess] = {}
    try:
        for name, (env, workdir) in envs.items():
            nodes[name] = start_web(env, workdir, name=name)
        yield nodes
    finally:
        for node in nodes.values():
            node.stop()


class Nginx:
    def __init__(self, workdir: Path, web: dict[str, WebProcess], static_root: Path) -> None:
        assert NGINX is not None
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        listener = listening_socket()
        self.port = int(listener.getsockname()[1])
        site = render(
            listen=f"127.0.0.1:{self.port}",
            web_nodes=[f"127.0.0.1:{node.port}" for node in web.values()],
            static_root=str(static_root),
            access_log=str(workdir / "access.log"),
        )
        (workdir / "site.conf").write_text(site)
        temp = "\n".join(
            f"    {kind}_temp_path {workdir / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (workdir / "nginx.conf").write_text(
            # Workers as the test's own user (root in CI: else nginx's default `nobody`, who
            # cannot read the test's temporary folder; ignored with a notice when not root).
            f"daemon off;\nmaster_process on;\nworker_processes 1;\nuser {getpass.getuser()};\n"
            f"pid {workdir / 'nginx.pid'};\nerror_log {workdir / 'error.log'} notice;\n"
            "events { worker_connections 256; }\n"
            "http {\n    include /etc/nginx/mime.types;\n"
            f"{temp}\n    include {workdir / 'site.conf'};\n}}\n"
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        # nginx takes the bound socket from the NGINX variable (its binary-upgrade mechanism).
        self.process = subprocess.Popen(
            [NGINX, "-c", str(workdir / "nginx.conf"), "-p", str(workdir), "-e", str(workdir / "error.log")],
            env={**os.environ, "NGINX": f"{listener.fileno()};"},
            pass_fds=(listener.fileno(),),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        listener.close()
        wait_for(self._answers, timeout=30, what="nginx")

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"nginx exited: {self.log()}")
        try:
            return requests.get(self.url + "login/", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def log(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")[-3000:]
            for path in (self.workdir / "error.log",)
            if path.exists()
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def nginx(web_nodes: dict[str, WebProcess], tmp_path: Path) -> Iterator[Nginx]:
    proxy = Nginx(tmp_path / "nginx", web_nodes, tmp_path / "web-a" / "var" / "staticfiles")
    yield proxy
    proxy.stop()


@pytest.fixture
def worker_nodes(node_env: dict[str, str], tmp_path: Path) -> Iterator[dict[str, CeleryProcesses]]:
    nodes = {}
    for name in ("worker-a", "worker-b", "beat"):
        env, workdir = _node(node_env, tmp_path, name)
        workdir.mkdir(parents=True)
        nodes[name] = CeleryProcesses(env=env, workdir=workdir)
    yield nodes
    for procs in nodes.values():
        procs.stop_all()


def _start_worker(procs: CeleryProcesses, name: str) -> None:
    """The deploy/ worker command (Procfile-like: concurrency 2, prefork), named for its node."""
    log = (procs.workdir / "worker.log").open("ab")
    args = [
        str(Path(sys.executable).with_name("celery")), "-A", "hrflow_dash", "worker", "-l", "info",
        "--concurrency", "2", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    procs.procs["worker"] = subprocess.Popen(
        args, cwd=REPO, env=procs.env, stdout=log, stderr=log, start_new_session=True
    )


class Recruiter:
    """A browser-like client through nginx: one cookie jar, the node of every response."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.served_by: list[str] = []

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        response = self.session.get(self.base + path.lstrip("/"), timeout=30, **kwargs)
        self.served_by.append(response.headers.get("X-Served-By", "?"))
        return response

    def post(self, path: str, data: dict[str, str]) -> requests.Response:
        data = {**data, "csrfmiddlewaretoken": self.session.cookies["csrftoken"]}
        response = self.session.post(self.base + path.lstrip("/"), data=data, timeout=30)
        self.served_by.append(response.headers.get("X-Served-By", "?"))
        return response


def _live_query(settings: Any, live_sandbox: Any) -> str:
    settings.HRFLOW_API_URL = live_sandbox.url
    settings.HRFLOW_API_KEY = live_sandbox.api_key
    settings.HRFLOW_USER_EMAIL = live_sandbox.user_email
    source_key = settings.HRFLOW_SOURCE_KEYS[0]
    candidate = selectors.profile_search(source_key=source_key, name="", limit=1)[0]
    return JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=source_key,
        profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
    ).to_query_string()


def _refreshed_by(procs: CeleryProcesses) -> list[int]:
    """Saved-search ids whose refresh this worker node logged as succeeded (its JSON lines)."""
    ids = []
    for line in (procs.workdir / "worker.log").read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        if record.get("logger") == "saved_searches.tasks" and record.get("outcome") == "succeeded":
            ids.append(int(record["saved_search_id"]))
    return ids


def test_two_web_nodes_two_workers_one_beat_behind_nginx(
    django_user_model: Any,
    settings: Any,
    live_sandbox: Any,
    web_nodes: dict[str, WebProcess],
    nginx: Nginx,
    worker_nodes: dict[str, CeleryProcesses],
) -> None:
    settings.SAVED_SEARCH_CAP_PER_USER = 25
    query = _live_query(settings, live_sandbox)
    # The nodes run production's password hashers (the test settings' MD5 is not among them).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    owner = django_user_model.objects.create_user("multinode", password=PASSWORD)

    # --- a recruiter through nginx, served by both nodes in turn, never logged out ------------
    recruiter = Recruiter(nginx.url)
    assert recruiter.get("login/").status_code == 200
    response = recruiter.post("login/", {"username": "multinode", "password": PASSWORD})
    assert response.status_code == 200, response.text[:2000]
    assert response.url.rstrip("/") == nginx.url.rstrip("/"), "landed on the search page"
    for _ in range(4):
        page = recruiter.get("saved/")
        assert page.status_code == 200
        assert "/login/" not in page.url, "the session holds on every node"
    assert set(recruiter.served_by[-4:]) == {"web-a", "web-b"}, recruiter.served_by
    assert recruiter.get("static/css/app.css").status_code == 200  # nginx serves it from disk

    # --- search, save, open: each step may land on either node ---------------------------------
    results = recruiter.get("?" + query)
    assert results.status_code == 200
    assert "job-card" in results.text or "card" in results.text
    saved = recruiter.post("saved/new/", {"name": "Across nodes", "schedule": "daily", "query_string": query})
    assert saved.status_code == 200
    assert "Across nodes" in saved.text, "the list after the save shows it"
    search = SavedSearch.objects.get(owner=owner, name="Across nodes")
    opened = recruiter.get(f"saved/{search.pk}/")
    assert opened.status_code == 200
    assert f"saved={search.pk}" in opened.url
    assert {"web-a", "web-b"} <= set(recruiter.served_by[-5:]), recruiter.served_by

    # --- 200 due saved searches, two worker nodes and one beat: each refreshed exactly once ----
    users = [django_user_model.objects.create_user(f"multinode-{n}") for n in range(8)]
    ids = [
        crud.saved_search_create(
            owner=users[n % 8], name=f"due {n}", query_string=query, schedule="hourly", allow_duplicate=True
        ).pk
        for n in range(SEARCHES)
    ]
    SavedSearch.objects.filter(pk__in=[*ids, search.pk]).update(
        next_due_at=timezone.now() - dt.timedelta(minutes=5)
    )
    ids.append(search.pk)
    for name in ("worker-a", "worker-b"):
        _start_worker(worker_nodes[name], name)
    worker_nodes["beat"].start("beat")

    # --- meanwhile: stop web-b under traffic; nginx retries on web-a ---------------------------
    statuses: list[int] = []
    stop = threading.Event()

    def traffic() -> None:
        client = requests.Session()
        client.cookies.update(recruiter.session.cookies)
        while not stop.is_set():
            try:
                statuses.append(client.get(nginx.url + "saved/", timeout=30).status_code)
            except requests.RequestException as exc:  # nginx itself must never drop one
                statuses.append(-1)
                print("traffic:", exc)

    thread = threading.Thread(target=traffic)
    thread.start()
    # Traffic before, during and after the stop: counted requests, not a wall-clock window.
    wait_for(lambda: len(statuses) >= 10, timeout=60, what="traffic before the stop", interval=0.05)
    web_nodes["web-b"].stop()  # SIGTERM: graceful, like a deploy or a node going away
    after_stop = len(statuses)
    wait_for(
        lambda: len(statuses) >= after_stop + 10, timeout=60, what="traffic after the stop", interval=0.05
    )
    stop.set()
    thread.join(timeout=60)
    assert len(statuses) > 10
    assert set(statuses) == {200}, f"{statuses.count(200)} of {len(statuses)} answered 200: {set(statuses)}"
    after = recruiter.get("saved/")
    assert after.status_code == 200
    assert after.headers["X-Served-By"] == "web-a"

    def all_refreshed() -> bool:
        return SearchRun.objects.filter(search_id__in=ids, status=RunStatus.SUCCEEDED).count() >= len(ids)

    try:
        wait_for(all_refreshed, timeout=240, what=f"{len(ids)} refreshes", interval=1)
    except AssertionError:
        print("\n".join(p.logs()[-3000:] for p in worker_nodes.values()))
        raise
    time.sleep(2)  # any duplicate would show by now: ticks every second
    per_search = dict(
        SearchRun.objects.filter(search_id__in=ids).values_list("search_id").annotate(n=Count("id"))
    )
    assert per_search == dict.fromkeys(ids, 1), "exactly one run per search"
    by_a, by_b = _refreshed_by(worker_nodes["worker-a"]), _refreshed_by(worker_nodes["worker-b"])
    assert sorted(by_a + by_b) == sorted(ids), "each search once, between the two workers"
    assert by_a, "worker-a refreshed some"
    assert by_b, "worker-b refreshed some"
    assert SavedSearch.objects.filter(pk__in=ids).count() == len(ids), "no saved search lost"

    # The nodes' JSON logs carry the node and the request id nginx set.
    access = (nginx.workdir / "access.log").read_text()
    request_ids = set(re.findall(r"rid=([0-9a-f]{32})", access))
    web_lines = [json.loads(line) for line in web_nodes["web-a"].log().splitlines() if line.startswith("{")]
    logged = {line.get("request_id") for line in web_lines if line.get("logger") == "ops.request"}
    assert request_ids & logged, "nginx's request id reaches the node's log lines"
    assert {line.get("node") for line in web_lines} == {"web-a"}
