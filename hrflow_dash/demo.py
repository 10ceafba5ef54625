"""Demo identifiers shared by the dashboard's defaults, the sandbox and the demo-data build.

The sandbox accepts exactly these credentials unless SANDBOX_API_KEY / SANDBOX_USER_EMAIL
override them, so `make run` works with no configuration. They unlock only the local
sandbox's public demo data, which is why they may live in code.
"""

import hashlib

DEMO_API_KEY = "ask_5a9dbe0ddc0d4c3f8a1e2b7c6d5e4f30"
DEMO_USER_EMAIL = "demo@hrflow-dash.local"


def demo_key(kind: str, slug: str) -> str:
    """A stable 40-hex object key, as HrFlow's keys look (docs/hrflow.md decision 9)."""
    # sha1 for its 40-hex shape only: these keys identify demo rows, they protect nothing.
    return hashlib.sha1(f"hrflow-dash-demo:{kind}:{slug}".encode(), usedforsecurity=False).hexdigest()


# Boards group the listings' categories; sources hold the synthetic candidates.
DEMO_BOARDS = {
    "tech": "Tech & Data",
    "gtm": "Go-to-market",
    "corporate": "Corporate & Operations",
}
DEMO_SOURCES = {
    "inbound": "Inbound applications",
    "talent-pool": "Sourced talent pool",
}
DEMO_ALGORITHMS = {
    "balanced": "Balanced (text + skills + title)",
    "skills-first": "Skills first",
}

DEMO_BOARD_KEYS = [demo_key("board", slug) for slug in DEMO_BOARDS]
DEMO_SOURCE_KEYS = [demo_key("source", slug) for slug in DEMO_SOURCES]
DEMO_ALGORITHM_KEYS = [demo_key("algorithm", slug) for slug in DEMO_ALGORITHMS]
