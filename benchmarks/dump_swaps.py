"""Write the HTML of render_cards.py's search page to a directory, to compare two versions byte
for byte (a speed change must not change what a card shows):

    .venv/bin/python benchmarks/dump_swaps.py /tmp/after        # in each tree (git archive)
    diff -r /tmp/before /tmp/after

The same setup as render_cards.py (fake upstream, 30 rich demo jobs), with one job title holding
markup and quotes, 3 jobs starred and 2 hidden for the candidate. Written: the HTMX swap, the swap
with form errors, with "Show hidden", the full page, and the swap once the query is saved
("You saved this search as …"). CSRF tokens and CSP nonces (random per request) are replaced by
fixed text; nothing else is touched.
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render_cards


def _normalised(body: str) -> str:
    body = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="CSRF"', body
    )
    return re.sub(r'nonce="[^"]+"', 'nonce="NONCE"', body)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    render_cards.setup_django(Path(tempfile.mkdtemp(prefix="dump-swaps-")))
    plain_jobs = render_cards.rich_jobs

    def jobs_with_markup(n: int = render_cards.CARDS) -> list[dict[str, Any]]:
        jobs = plain_jobs(n)
        jobs[2] = {**jobs[2], "name": "Dev <script>alert(\"x\")</script> & 'Co'"}
        return jobs

    render_cards.rich_jobs = jobs_with_markup  # type: ignore[assignment]
    client, url = render_cards.prepared_client()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from saved_searches.models import SavedSearch
    from shortlists.models import HiddenJob, ShortlistEntry

    user = get_user_model().objects.get(username="bench")
    jobs = jobs_with_markup()
    candidate = {"source_key": settings.HRFLOW_SOURCE_KEYS[0], "profile_key": "c" * 40}
    for i, job in enumerate(jobs[1:4]):
        ShortlistEntry.objects.create(
            owner=user, job_key=job["key"], board_key="b", title=job["name"], position=i, **candidate
        )
    for job in jobs[5:7]:
        HiddenJob.objects.create(owner=user, job_key=job["key"], title=job["name"], **candidate)
    htmx = {"HX-Request": "true"}
    pages = (
        ("swap", url, htmx),
        ("swap_errors", url + "&page=0&limit=7", htmx),
        ("swap_show_hidden", url + "&show_hidden=1", htmx),
        ("full", url, {}),
    )
    for name, page_url, headers in pages:
        response = client.get(page_url, headers=headers)
        assert response.status_code == 200, (name, response.status_code)
        (out / f"{name}.html").write_text(_normalised(response.content.decode()))
    body = client.get(url, headers=htmx).content.decode()
    query_string = html.unescape(re.search(r'name="query_string" value="([^"]*)"', body).group(1))  # type: ignore[union-attr]
    SavedSearch.objects.create(
        owner=user, name='Mine <b>&"', query_string=query_string, baseline_started_at=timezone.now()
    )
    (out / "swap_saved.html").write_text(_normalised(client.get(url, headers=htmx).content.decode()))
    print(f"written to {out}: {', '.join(sorted(p.name for p in out.iterdir()))}")


if __name__ == "__main__":
    main()
