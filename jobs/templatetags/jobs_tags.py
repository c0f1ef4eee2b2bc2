"""Template filters for vacancy pages: descriptions as safe formatted text, JSON-LD, cached result cards."""

import json

import nh3
from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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


CARD_TTL = 3600


@register.simple_tag
def job_cards(jobs) -> str:
    """The result cards of ``jobs`` (``jobs/_job_item.html``), each rendered once and kept in the cache.

    A card is the same for every visitor in a language until its vacancy or employer changes: the key holds the
    language and both ``updated_at`` stamps (every write bumps them), so a changed card is never served stale —
    and whether a vacancy is on the page at all is decided before, fresh, by the search. One ``get_many`` for the
    page; rendering twenty cards otherwise takes a third of the search page's Python time.
    """
    language = get_language()
    keys = [
        f"jobs:card:{language}:{job.pk}:{job.updated_at.timestamp()}:{job.employer.updated_at.timestamp()}"
        for job in jobs
    ]
    cached = cache.get_many(keys)
    card = get_template("jobs/_job_item.html")
    fresh = {}
    html = []
    for job, key in zip(jobs, keys, strict=True):
        if key not in cached:
            fresh[key] = cached[key] = card.render({"job": job})
        html.append(cached[key])
    if fresh:
        cache.set_many(fresh, CARD_TTL)
    return mark_safe("".join(html))  # noqa: S308 - our own template's output
