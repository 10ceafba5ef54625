"""Bytes on the wire of the search page: the HTMX results swap (30 cards) beside the full page,
raw and gzipped, and the JS + CSS the page loads.

    .venv/bin/python benchmarks/page_bytes.py

Same setup as render_cards.py (30 of the richest demo jobs, upstream replaced by pre-fetched
data). Checks the swap carries no layout, no filter form and no script tag. gzip level 6 (what
WhiteNoise/nginx use by default) stands in for the server's compression.
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import render_cards

SWAP_BUDGET_GZ = 20 * 1024
ASSETS_BUDGET_GZ = 150 * 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def main() -> int:
    render_cards.setup_django(Path(tempfile.mkdtemp(prefix="bench-bytes-")))
    from django.contrib.staticfiles import finders

    client, url = render_cards.prepared_client()
    full = client.get(url).content
    swap = client.get(url, headers={"HX-Request": "true"}).content
    text = swap.decode()
    # No layout, no filter form, no script. (The small "Save this search" form rides along on
    # purpose: it must match the filters of the results it sits above.)
    for marker in ("<html", "<header", 'id="search-form"', "<fieldset", "<script", '<nav aria-label="Main"'):
        assert marker not in text, f"the swap carries {marker}"
    assert text.count('class="job-card"') == render_cards.CARDS

    assets = re.findall(r'<script src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', full.decode())
    rows, total_raw, total_gz = [], 0, 0
    for script, style in assets:
        path = (script or style).removeprefix("/static/")
        found = finders.find(path)
        assert found, path
        data = Path(str(found)).read_bytes()
        rows.append((path, len(data), gz(data)))
        total_raw += len(data)
        total_gz += gz(data)
    outlines = Path(str(finders.find("vendor/world-atlas/countries-110m.json"))).read_bytes()

    print(f"{'response':<52} {'raw':>10} {'gzip':>10}")
    print(f"{'full page (30 cards)':<52} {len(full):>10,} {gz(full):>10,}")
    print(f"{'HTMX swap #results (30 cards)':<52} {len(swap):>10,} {gz(swap):>10,}")
    print()
    for path, raw, packed in rows:
        print(f"{path:<52} {raw:>10,} {packed:>10,}")
    print(f"{'JS + CSS total':<52} {total_raw:>10,} {total_gz:>10,}")
    print(
        f"{'(data, fetched by search.js) countries-110m.json':<52} {len(outlines):>10,} {gz(outlines):>10,}"
    )
    ok = gz(swap) <= SWAP_BUDGET_GZ and total_gz <= ASSETS_BUDGET_GZ
    print(
        f"\nbudgets: swap ≤ {SWAP_BUDGET_GZ:,} B gz: {gz(swap) <= SWAP_BUDGET_GZ}; "
        f"JS+CSS ≤ {ASSETS_BUDGET_GZ:,} B gz: {total_gz <= ASSETS_BUDGET_GZ}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
