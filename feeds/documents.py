"""The search document of an imported vacancy, built fast but identical to ``jobs.search.job_document``.

``jobs.search.build_document`` is the definition; this is the same algorithm with what repeats in a feed cached:
tokens of short texts (employer names, places, industries, tags repeat thousands of times), quoted lexemes and the
"<position><weight>" labels. ``tests/feeds/test_documents.py`` checks the output is byte-for-byte the same as
``job_document`` for the same fields, so search ranks feed vacancies and employer postings alike.
"""

from jobs.search import MAX_POSITION, MAX_POSITIONS_PER_LEXEME, _plain, quote_lexeme
from talentfair.core import segmentation
from talentfair.core.segmentation import cjk_characters

_SHORT_TEXT = 200
_CACHE_LIMIT = 200_000
_token_cache: dict[str, list[str]] = {}
_run_cache: dict[str, list[str]] = {}
_quote_cache: dict[str, str] = {}
_LABELS = {w: [f"{p}{w}" for p in range(MAX_POSITION + 1)] for w in "ABC"}


def tokens(text: str) -> list[str]:
    """``talentfair.core.segmentation.tokens`` with each CJK run's segmentation cached.

    ``tokens`` segments every run of CJK characters on its own, so a run's tokens do not depend on its
    surroundings and caching them is exact. Feeds repeat runs constantly ("岗位职责", "五险一金", boilerplate).
    """
    text = segmentation.normalise(text or "")
    out: list[str] = []
    position = 0
    cache = _run_cache
    cut = None
    latin = segmentation._latin_tokens
    for match in segmentation._CJK_RUN.finditer(text):
        start = match.start()
        if start > position:
            out.extend(latin(text[position:start]))
        run = match.group()
        pieces = cache.get(run)
        if pieces is None:
            if cut is None:
                cut = segmentation._segmenter().cut_for_search
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            pieces = cache[run] = cut(run, segmentation.HMM)
        out.extend(pieces)
        position = match.end()
    if position < len(text):
        out.extend(latin(text[position:]))
    return out


def _tokens(text: str) -> list[str]:
    """Tokens of a text already made plain (``jobs.search._plain``), cached for short texts."""
    if len(text) > _SHORT_TEXT:
        return tokens(text)
    cached = _token_cache.get(text)
    if cached is None:
        if len(_token_cache) > _CACHE_LIMIT:
            _token_cache.clear()
        cached = _token_cache[text] = tokens(text)
    return cached


def build_document_fast(parts) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, text in parts:
        labels = _LABELS[weight]
        plain = _plain(text)
        # Descriptions (weight C) are mostly unique: segment them through the run cache, not the text cache.
        for token in tokens(plain) if weight == "C" and plain else _tokens(plain):
            position += 1
            if position > MAX_POSITION:
                break
            entries = positions.get(token)
            if entries is None:
                positions[token] = [labels[position]]
            elif len(entries) < MAX_POSITIONS_PER_LEXEME:
                entries.append(labels[position])
        if weight == "A":  # as jobs.search.build_document: title/employer characters on their own
            label = labels[min(position, MAX_POSITION) or 1]
            for character in cjk_characters(plain):
                if not positions.get(character):
                    positions[character] = [label]
    quote = _quote_cache
    out = []
    for lexeme, entries in positions.items():
        quoted = quote.get(lexeme)
        if quoted is None:
            if len(quote) > _CACHE_LIMIT:
                quote.clear()
            quoted = quote[lexeme] = quote_lexeme(lexeme)
        out.append(f"{quoted}:{','.join(entries)}")
    return " ".join(out)


def vacancy_document(
    *,
    title: str,
    employer_name: str,
    province_name: str,
    city_name: str,
    address: str,
    industry_name: str,
    category: str,
    tags: str,
    description: str,
) -> str:
    """Mirrors ``job_document(job)`` field by field."""
    return build_document_fast(
        [
            ("A", title),
            ("A", employer_name),
            ("B", f"{province_name} {city_name} {address}"),
            ("B", industry_name),
            ("B", f"{category} {tags}"),
            ("C", description),
        ]
    )
