"""Template filters for vacancy pages: descriptions as safe formatted text, and JSON-LD."""

import json

import nh3
from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

register = template.Library()

# What a description may keep: the formatting partner feeds send, nothing that runs or loads.
ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h3", "h4", "h5", "blockquote", "span"}
_BLOCK_MARKERS = ("<p", "<br", "<ul", "<ol", "<li", "<h3", "<h4", "<h5", "<div", "<blockquote")


def clean_html(text: str) -> str:
    """Sanitised HTML (nh3/ammonia) with only ``ALLOWED_TAGS`` and no attributes; links become plain text."""
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, link_rel=None, strip_comments=True)


@register.filter
def rich_text(value: str | None) -> str:
    """A description as formatted text: HTML from feeds re-sanitised and kept; plain text keeps its line breaks.

    Never trusts the stored text: HTML goes through nh3 whatever its source, plain text is escaped.
    """
    text = value or ""
    if any(marker in text.lower() for marker in _BLOCK_MARKERS):
        return mark_safe(clean_html(text))  # noqa: S308 - nh3 output
    return mark_safe(linebreaks(escape(text)))  # noqa: S308 - escaped first


@register.filter
def ld_json(value) -> str:
    """A dict as JSON safe inside ``<script type="application/ld+json">`` (no "</script>" can break out)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above
