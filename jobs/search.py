"""The search document of a vacancy: a weighted ``tsvector`` built from segmented text.

PostgreSQL's parsers do not segment Chinese, so the vector is built here, lexeme by lexeme, and sent as a
``tsvector`` literal (no ``to_tsvector`` parser in between, so "c++" stays "c++"). Weights: A = title and employer
name, B = place, industry, category and tags, C = description. Queries go through ``query_literal`` so they are
segmented exactly like the documents.
"""

import re
from collections.abc import Iterable

from talentfair.core.segmentation import tokens

_TAG = re.compile(r"<[^>]*>")
MAX_POSITION = 16383  # PostgreSQL's limit for tsvector positions
MAX_POSITIONS_PER_LEXEME = 32


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def build_document(parts: Iterable[tuple[str, str | None]]) -> str:
    """A ``tsvector`` literal from ``(weight, text)`` pairs, e.g. ``[("A", title), ("C", description)]``."""
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, text in parts:
        for token in tokens(_TAG.sub(" ", text or "")):
            position += 1
            if position > MAX_POSITION:
                break
            entries = positions.setdefault(token, [])
            if len(entries) < MAX_POSITIONS_PER_LEXEME:
                entries.append(f"{position}{weight}")
    return " ".join(f"{_quote(lexeme)}:{','.join(entries)}" for lexeme, entries in positions.items())


def job_document(job) -> str:
    """The search document of a ``JobPosting`` (employer, city and industry loaded or cached)."""
    city = job.city
    return build_document(
        [
            ("A", job.title),
            ("A", job.employer.name),
            ("B", f"{city.province.name} {city.name} {job.address}"),
            ("B", job.industry.name if job.industry_id else ""),
            ("B", f"{job.category} {job.tags}"),
            ("C", job.description),
        ]
    )


def query_literal(text: str | None) -> str | None:
    """A ``tsquery`` literal matching documents that contain every search token, or None if there are none."""
    seen: list[str] = []
    for token in tokens(text or ""):
        if token not in seen:
            seen.append(token)
    if not seen:
        return None
    return " & ".join(_quote(token) for token in seen)
