"""`{% extension_nav as links %}`: the top navigation's links from search page extensions
(scoring/extensions.py), e.g. "Saved searches" with its "N new"."""

from __future__ import annotations

from typing import Any

from django import template

from scoring.extensions import NavLink, nav_links

register = template.Library()


@register.simple_tag(takes_context=True)
def extension_nav(context: dict[str, Any]) -> list[NavLink]:
    request = context.get("request")
    return nav_links(request) if request is not None else []
