"""Every URL the project routes, read from the URLconf, so a new URL is covered automatically.

`routes()` walks the resolver (includes, namespaces, admin); `sample_path()` fills each
parameter with a value: `pk` with the id under test, anything else with a harmless sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


@dataclass(frozen=True)
class Route:
    pattern: str  # the full pattern, e.g. "saved/<int:pk>/rename/"
    name: str  # "saved_searches:rename" ("" when unnamed)
    is_regex: bool

    @property
    def params(self) -> set[str]:
        if self.is_regex:
            return {m["name"] for m in REGEX_GROUP.finditer(self.pattern)}
        return {m["name"] for m in ROUTE_PARAM.finditer(self.pattern)}

    @property
    def takes_pk(self) -> bool:
        return "pk" in self.params

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")

    def __str__(self) -> str:
        return self.name or self.pattern


def routes() -> list[Route]:
    def walk(patterns: list[object], prefix: str, namespace: str, regex: bool) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = (
                    f"{namespace}:{entry.namespace}"
                    if namespace and entry.namespace
                    else (entry.namespace or namespace)
                )
                yield from walk(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    inner or "",
                    regex or isinstance(entry.pattern, RegexPattern),
                )
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
                yield Route(
                    pattern=prefix + str(entry.pattern),
                    name=name,
                    is_regex=regex or isinstance(entry.pattern, RegexPattern),
                )

    return list(walk(get_resolver().url_patterns, "", "", False))


def sample_path(route: Route, *, pk: int = 1, values: dict[str, str] | None = None) -> str:
    """An absolute path that resolves to `route` (`values`: parameters by name, else "1")."""

    def route_value(match: re.Match[str]) -> str:
        if match["name"] == "pk":
            return str(pk)
        return (values or {}).get(match["name"], "1")

    def regex_value(match: re.Match[str]) -> str:
        body = match["body"]
        if "|" in body or re.fullmatch(r"[\w-]+", body):
            return body.split("|")[0]
        return "x"

    path = route.pattern
    path = REGEX_GROUP.sub(regex_value, path) if route.is_regex else ROUTE_PARAM.sub(route_value, path)
    return "/" + path.replace("^", "").replace("$", "")
