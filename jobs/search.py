"""The search document of a vacancy: a weighted ``tsvector`` built from segmented text.

PostgreSQL's parsers do not segment Chinese, so the vector is built here, lexeme by lexeme, and sent as a
``tsvector`` literal (no ``to_tsvector`` parser in between, so "c++" stays "c++"). Weights: A = title and employer
name, B = place, industry, category and tags, C = description. Queries go through ``query_literal`` so they are
segmented exactly like the documents.

Weight-A text (title, employer name) also indexes each of its Chinese characters on its own, so a one-character
query ("会") finds "会计" in a title. Queries are not split further: a query token that is a single character is
exactly such a lexeme, and longer tokens match the words segmented the same way at index time.

Every writer goes through ``document_parts``/``build_document``: the lifecycle services (``jobs.services.job_index``),
the admin, bulk imports and ``manage.py rebuild_search_index``.
"""

import re
from collections.abc import Iterable

from talentfair.core.segmentation import cjk_characters, tokens

_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(?:[a-z]+|#\d+);", re.IGNORECASE)
MAX_POSITION = 16383  # PostgreSQL's limit for tsvector positions
MAX_POSITIONS_PER_LEXEME = 32
MAX_TEXT_CHARS = 20_000  # longer descriptions are indexed up to here (the rest is still shown)


def quote_lexeme(lexeme: str) -> str:
    """A lexeme quoted for a tsvector/tsquery literal."""
    if "'" in lexeme or "\\" in lexeme:
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{lexeme}'"


def _plain(text: str | None) -> str:
    text = (text or "")[:MAX_TEXT_CHARS]
    if "<" in text or "&" in text:
        text = _ENTITY.sub(" ", _TAG.sub(" ", text))
    return text


def build_document(parts: Iterable[tuple[str, str | None]]) -> str:
    """A ``tsvector`` literal from ``(weight, text)`` pairs, e.g. ``[("A", title), ("C", description)]``."""
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, text in parts:
        plain = _plain(text)
        for token in tokens(plain):
            position += 1
            if position > MAX_POSITION:
                break
            entries = positions.get(token)
            if entries is None:
                positions[token] = [f"{position}{weight}"]
            elif len(entries) < MAX_POSITIONS_PER_LEXEME:
                entries.append(f"{position}{weight}")
        if weight == "A":
            for character in cjk_characters(plain):
                entries = positions.setdefault(character, [])
                if not entries:  # a character that is also a word keeps the word's positions
                    entries.append(f"{min(position, MAX_POSITION) or 1}{weight}")
    return " ".join([f"{quote_lexeme(lexeme)}:{','.join(entries)}" for lexeme, entries in positions.items()])


def document_parts(
    *,
    title: str,
    employer_name: str,
    province_name: str,
    city_name: str,
    address: str = "",
    industry_name: str = "",
    category: str = "",
    tags: str = "",
    description: str = "",
) -> list[tuple[str, str]]:
    """The weighted parts of a vacancy's document; shared by ``job_document`` and bulk loaders."""
    return [
        ("A", title),
        ("A", employer_name),
        ("B", f"{province_name} {city_name} {address}"),
        ("B", industry_name),
        ("B", f"{category} {tags}"),
        ("C", description),
    ]


def job_document(job) -> str:
    """The search document of a ``JobPosting`` (employer, city and industry loaded or cached)."""
    city = job.city
    return build_document(
        document_parts(
            title=job.title,
            employer_name=job.employer.name,
            province_name=city.province.name,
            city_name="" if city.is_province_level else city.name,
            address=job.address,
            industry_name=job.industry.name if job.industry_id else "",
            category=job.category,
            tags=job.tags,
            description=job.description,
        )
    )


def query_tokens(text: str | None) -> list[str]:
    """The distinct search tokens of a query, in order."""
    seen: list[str] = []
    for token in tokens(text or ""):
        if token not in seen:
            seen.append(token)
    return seen


def query_literal(text: str | None) -> str | None:
    """A ``tsquery`` literal matching documents that contain every search token, or None if there are none.

    A token inside a longer query token ("工程" in "工程师") is left out: search-mode segmentation indexes the
    sub-words of every word it finds, so the longer token implies it — and the sub-words are the most common
    lexemes, the costliest for the GIN index to intersect.
    """
    seen = query_tokens(text)
    seen = [t for t in seen if not any(t != other and t in other for other in seen)]
    if not seen:
        return None
    return " & ".join(quote_lexeme(token) for token in seen)
