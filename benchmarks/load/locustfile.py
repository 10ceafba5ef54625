"""50 recruiters on the dashboard (Locust). Started by benchmarks/load/run.py, which creates the
accounts and writes LOAD_DATA (candidates, boards, algorithms) and reads LOAD_LOG back.

Each simulated recruiter has an account of its own, logs in once, then, with 0.2-1 s of think
time: picks a candidate (the type-ahead), searches (HTMX swaps of #results) with changing
filters and pages, opens job details, saves a search now and then, and looks at the login and
saved-searches pages. Every request is logged as one JSON line (time, name, status, ms, and
what the page said) so run.py can check the budgets per phase of the run.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from typing import Any
from urllib.parse import urlencode

from locust import HttpUser, between, events, task

DATA: dict[str, Any] = json.loads(open(os.environ["LOAD_DATA"]).read())  # noqa: SIM115
LOG = open(os.environ["LOAD_LOG"], "a", buffering=1)  # noqa: SIM115
_accounts = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
JOB_KEY = re.compile(r"job_key=([0-9a-f]{40})")
# What a page says when HrFlow could not answer (the recruiter's error panel / messages).
ERROR_MARKERS = ("error-panel", 'class="error"')
UNAVAILABLE = "HrFlow is not answering at the moment"
SKILLS = ["python", "sql", "sales", "excel", "communication", "customer service", "java", "marketing"]
TAGS = ["remote:true", "work_mode:onsite", "work_mode:hybrid"]
CITIES = [(40.71, -74.01), (34.05, -118.24), (41.88, -87.63), (47.61, -122.33), (29.76, -95.37)]


ERROR_TEXT = re.compile(r'class="(?:panel error-panel|error)"[^>]*>(.*?)</(?:div|p|li)>', re.S)
TAG = re.compile(r"<[^>]+>")


def _error_text(text: str) -> str:
    """What the first error panel / error line on the page says (for run.py's summary)."""
    found = ERROR_TEXT.search(text)
    return " ".join(TAG.sub(" ", found.group(1)).split())[:200] if found else ""


def _log(name: str, response: Any, started: float, elapsed_ms: float) -> None:
    text = response.text if response is not None and response.text else ""
    error_panel = any(m in text for m in ERROR_MARKERS)
    LOG.write(
        json.dumps(
            {
                "t": started,
                "name": name,
                "status": response.status_code if response is not None else 0,
                "ms": round(elapsed_ms, 2),
                "error_panel": error_panel,
                "error_text": _error_text(text) if error_panel else "",
                "unavailable": UNAVAILABLE in text,
            }
        )
        + "\n"
    )


class Recruiter(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.number = next(_accounts)
        self.username = f"load-{self.number:02d}"
        self.saved = 0
        self.query: dict[str, Any] = {}
        self.job_keys: list[str] = []
        self.canonical = ""
        self.last_params: dict[str, Any] = {}
        page = self._get("/login/", "login")
        token = CSRF.search(page.text or "")
        self._request(
            "POST",
            "/login/",
            "login-post",
            data={"username": self.username, "password": DATA["password"],
                  "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": self.host + "/login/"},
        )  # fmt: skip
        self._new_candidate()

    # --- helpers ------------------------------------------------------------------------------

    def _request(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        started = time.time()
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as response:
            elapsed = (time.time() - started) * 1000
            _log(name, response, started, elapsed)
            if (response.status_code >= 500 and name not in ("export",)) or response.status_code >= 400:
                response.failure(f"{response.status_code}")
            else:
                response.success()
            return response

    def _get(self, path: str, name: str, *, htmx: bool = False) -> Any:
        headers = {"HX-Request": "true", "HX-Current-URL": self.host + "/"} if htmx else {}
        return self._request("GET", path, name, headers=headers)

    def _new_candidate(self) -> None:
        profile = random.choice(DATA["profiles"])
        self.query = {
            "source_key": profile["source_key"],
            "profile_key": profile["key"],
            "board_keys": DATA["boards"],
            "algorithm_key": random.choice(DATA["algorithms"]),
        }
        self.profile_name = profile["name"]

    def _search(self, *, page: int = 1) -> None:
        params = {**self.query, "page": page}
        self.last_params = params
        response = self._get("/?" + urlencode(params, doseq=True), "search", htmx=True)
        self.job_keys = JOB_KEY.findall(response.text or "") if response.status_code == 200 else []
        pushed = response.headers.get("HX-Push-Url", "") if response.status_code == 200 else ""
        self.canonical = pushed.split("?", 1)[1] if "?" in pushed else ""

    # --- what a recruiter does --------------------------------------------------------------

    @task(2)
    def pick_candidate(self) -> None:
        self._new_candidate()
        prefix = self.profile_name.split()[-1][:3].lower()
        self._get(
            "/candidates/?" + urlencode({"source_key": self.query["source_key"], "name": prefix}),
            "candidates",
            htmx=True,
        )
        self._search()

    @task(4)
    def change_filters(self) -> None:
        for name in ("skills", "tags_included", "lat", "lng", "location_distance", "date_preset"):
            self.query.pop(name, None)
        choice = random.randrange(4)
        if choice == 0:
            self.query["skills"] = random.sample(SKILLS, k=random.randint(1, 2))
        elif choice == 1:
            self.query["tags_included"] = [random.choice(TAGS)]
        elif choice == 2:
            lat, lng = random.choice(CITIES)
            self.query.update(lat=lat, lng=lng, location_distance=random.choice([50, 100, 200]))
        else:
            self.query["date_preset"] = random.choice(["7d", "30d"])
        self._search()

    @task(2)
    def next_page(self) -> None:
        self._search(page=random.randint(2, 4))

    @task(3)
    def open_details(self) -> None:
        if not self.job_keys:
            self._search()
            return
        params = {**self.last_params, "job_key": random.choice(self.job_keys)}
        self._get("/jobs/details/?" + urlencode(params, doseq=True), "details", htmx=True)

    @task(1)
    def save_search(self) -> None:
        if not self.canonical or self.saved >= 10:
            return
        page = self._get("/saved/", "saved-searches")
        token = CSRF.search(page.text or "")
        response = self._request(
            "POST",
            "/saved/new/",
            "save",
            data={"name": f"{self.username} search {self.saved + 1}", "schedule": "daily",
                  "query_string": self.canonical, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"HX-Request": "true", "Referer": self.host + "/"},
        )  # fmt: skip
        text = (response.text or "").lower()
        # "You already saved this search as ..." (the same query twice) stores nothing: not a save.
        if response.status_code == 200 and "error" not in text and "already-saved" not in text:
            self.saved += 1
            LOG.write(json.dumps({"t": time.time(), "saved_by": self.username}) + "\n")

    @task(2)
    def saved_searches(self) -> None:
        self._get("/saved/", "saved-searches")

    @task(1)
    def login_page(self) -> None:
        self._get("/login/", "login")


@events.quitting.add_listener
def _close(**_: Any) -> None:
    LOG.close()
