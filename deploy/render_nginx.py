"""Render deploy/nginx/hrflow_dash.conf.in for your nodes (standard library only).

    python deploy/render_nginx.py --listen 80 --web 10.0.0.11:8000 --web 10.0.0.12:8000 \
        --static-root /srv/hrflow_dash/var/staticfiles > /etc/nginx/sites-available/hrflow_dash
"""

from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "hrflow_dash.conf.in"


def render(*, listen: str, web_nodes: list[str], static_root: str, access_log: str) -> str:
    if not web_nodes:
        raise ValueError("at least one web node (host:port)")
    servers = "\n".join(f"    server {node} max_fails=1 fail_timeout=10s;" for node in web_nodes)
    text = TEMPLATE.read_text()
    for name, value in {
        "@LISTEN@": listen,
        "@WEB_NODES@": servers,
        "@STATIC_ROOT@": static_root.rstrip("/"),
        "@ACCESS_LOG@": access_log,
    }.items():
        text = text.replace(name, value)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listen", default="80")
    parser.add_argument("--web", action="append", required=True, help="host:port of a web node (repeat)")
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--access-log", default="/var/log/nginx/hrflow_dash.access.log")
    args = parser.parse_args()
    print(
        render(
            listen=args.listen, web_nodes=args.web, static_root=args.static_root, access_log=args.access_log
        )
    )


if __name__ == "__main__":
    main()
