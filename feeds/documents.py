"""The search document of an imported vacancy, built fast but identical to ``jobs.search.build_document``.

``jobs.search.build_document`` is the definition; this is the same algorithm arranged for a feed, where text repeats:

- Texts are segmented piece by piece, a piece being the text between two ASCII spaces (tags and entities become
  spaces in ``jobs.search._plain``, so a description's pieces are its sentences and list items: "岗位职责：",
  "五险一金", boilerplate), and each piece's tokens are cached. This is exact: NFKC never joins characters across an
  ASCII space (``tests/feeds/test_documents.py`` checks every code point), ``str.lower`` looks at no context across
  one, and no token contains one, so the tokens of a text are the tokens of its pieces, in order.
- Positions are assigned in one pass without per-token limit checks: a document past ``MAX_POSITION`` tokens (rare)
  takes the reference loop, and the per-lexeme limit is applied once at the end by truncating (the first
  ``MAX_POSITIONS_PER_LEXEME`` positions are the ones the reference keeps).
- The "<position><weight>" labels, the quoted lexemes and the Chinese characters of short weight-A texts are cached.

``tests/feeds/test_documents.py`` checks the output is byte-for-byte the same as ``build_document`` for the same
parts, so search ranks feed vacancies and employer postings alike.
"""

from collections import defaultdict

from jobs.search import MAX_POSITION, MAX_POSITIONS_PER_LEXEME, _plain, quote_lexeme
from talentfair.core import segmentation
from talentfair.core.segmentation import cjk_characters

_CACHE_LIMIT = 200_000
_piece_cache: dict[str, list[str]] = {}
_characters_cache: dict[str, list[str]] = {}
_quote_cache: dict[str, str] = {}
_LABELS = {w: [f"{p}{w}" for p in range(MAX_POSITION + 1)] for w in "ABC"}


def tokens(text: str) -> list[str]:
    """``talentfair.core.segmentation.tokens(text)``, segmented piece by piece with each piece's tokens cached."""
    cache = _piece_cache
    out: list[str] = []
    for piece in text.split(" "):
        if not piece:
            continue
        pieces = cache.get(piece)
        if pieces is None:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            pieces = cache[piece] = segmentation.tokens(piece)
        out += pieces
    return out


def _characters(text: str) -> list[str]:
    found = _characters_cache.get(text)
    if found is None:
        if len(_characters_cache) > _CACHE_LIMIT:
            _characters_cache.clear()
        found = _characters_cache[text] = cjk_characters(text)
    return found


def build_document_fast(parts) -> str:
    segmented = []
    total = 0
    for weight, text in parts:
        plain = _plain(text)
        found = tokens(plain)
        segmented.append((weight, plain, found))
        total += len(found)
    if total > MAX_POSITION:
        positions = _positions_capped(segmented)
    else:
        positions = defaultdict(list)
        position = 0
        for weight, plain, found in segmented:
            labels = _LABELS[weight]
            end = position + len(found)
            for token, label in zip(found, labels[position + 1 : end + 1], strict=True):
                positions[token].append(label)
            position = end
            if weight == "A":  # as jobs.search.build_document: title/employer characters on their own
                label = labels[position or 1]
                for character in _characters(plain):
                    if character not in positions:
                        positions[character] = [label]
        if total > MAX_POSITIONS_PER_LEXEME and max(map(len, positions.values())) > MAX_POSITIONS_PER_LEXEME:
            for entries in positions.values():
                del entries[MAX_POSITIONS_PER_LEXEME:]
    quote = _quote_cache
    out = []
    for lexeme, entries in positions.items():
        quoted = quote.get(lexeme)
        if quoted is None:
            if len(quote) > _CACHE_LIMIT:
                quote.clear()
            quoted = quote[lexeme] = f"{quote_lexeme(lexeme)}:"
        out.append(quoted + ",".join(entries))
    return " ".join(out)


def _positions_capped(segmented) -> dict[str, list[str]]:
    """The reference loop, for documents longer than ``MAX_POSITION`` tokens."""
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, plain, found in segmented:
        labels = _LABELS[weight]
        for token in found:
            position += 1
            if position > MAX_POSITION:
                break
            entries = positions.get(token)
            if entries is None:
                positions[token] = [labels[position]]
            elif len(entries) < MAX_POSITIONS_PER_LEXEME:
                entries.append(labels[position])
        if weight == "A":
            label = labels[min(position, MAX_POSITION) or 1]
            for character in _characters(plain):
                if not positions.get(character):
                    positions[character] = [label]
    return positions


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
