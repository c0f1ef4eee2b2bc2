"""The search document of an imported vacancy, built fast but identical to ``jobs.search.job_document``.

``jobs.search.build_document`` is the definition; this is the same algorithm with what repeats in a feed cached:
tokens of short texts (employer names, places, industries, tags repeat thousands of times), tokens of each
paragraph of a description (boilerplate such as "岗位职责：", "具有良好的沟通能力和团队合作精神" recurs across
vacancies), each CJK run's segmentation, quoted lexemes and the "<position><weight>" labels. The per-token work is
one dictionary look-up; labels are sliced from precomputed lists. ``tests/feeds/test_documents.py`` checks the
output is byte-for-byte the same as ``build_document`` / ``job_document`` for the same fields, so search ranks feed
vacancies and employer postings alike.
"""

from jobs.search import _TAG, MAX_POSITION, MAX_POSITIONS_PER_LEXEME, _quote
from talentfair.core import segmentation

_SHORT_TEXT = 200
_FRAGMENT_LIMIT = 400  # longer paragraphs are rarely repeated: segmented (runs cached) but not cached whole
_CACHE_LIMIT = 200_000
_token_cache: dict[str, list[str]] = {}
_fragment_cache: dict[str, list[str]] = {}
_run_cache: dict[str, list[str]] = {}
_prefix_cache: dict[str, str] = {}  # lexeme -> "'quoted':"
# _LABELS[w][p] == f"{p}{w}" for every position p PostgreSQL accepts (index 0 unused).
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


def html_tokens(text: str) -> list[str]:
    """``tokens(_TAG.sub(" ", text))``, paragraph by paragraph, each paragraph's tokens cached.

    Exact: every tag becomes a space, and a space ends both a CJK run and a Latin word; NFKC never composes across
    an ASCII space (checked for every code point in the tests), so the text between two tags segments the same
    alone as in the whole.
    """
    if "<" not in text:
        return _fragment_tokens(text)
    out: list[str] = []
    for fragment in _TAG.split(text):
        if fragment:
            out.extend(_fragment_tokens(fragment))
    return out


def _fragment_tokens(fragment: str) -> list[str]:
    cached = _fragment_cache.get(fragment)
    if cached is None:
        if len(fragment) > _FRAGMENT_LIMIT:
            return tokens(fragment)
        if len(_fragment_cache) > _CACHE_LIMIT:
            _fragment_cache.clear()
        cached = _fragment_cache[fragment] = tokens(fragment)
    return cached


def _tokens(text: str) -> list[str]:
    if len(text) > _SHORT_TEXT:
        return html_tokens(text)
    cached = _token_cache.get(text)
    if cached is None:
        if len(_token_cache) > _CACHE_LIMIT:
            _token_cache.clear()
        cached = _token_cache[text] = tokens(_TAG.sub(" ", text))
    return cached


def build_document_fast(parts) -> str:
    """``jobs.search.build_document(parts)``, byte for byte."""
    all_tokens: list[str] = []
    all_labels: list[str] = []
    position = 0  # positions used so far; the next token gets position + 1
    for weight, text in parts:
        if not text:
            continue
        # Descriptions (weight C) are mostly unique: segmented paragraph by paragraph, not cached whole.
        found = html_tokens(text) if weight == "C" else _tokens(text)
        if not found:
            continue
        room = MAX_POSITION - position
        if len(found) > room:  # build_document stops at PostgreSQL's last position
            found = found[:room]
        all_tokens += found
        all_labels += _LABELS[weight][position + 1 : position + 1 + len(found)]
        position += len(found)
        if position >= MAX_POSITION:
            break
    positions: dict[str, list[str]] = {}  # lexeme → labels, in order of first occurrence as in build_document
    get = positions.get
    for token, label in zip(all_tokens, all_labels, strict=True):
        entries = get(token)
        if entries is None:
            positions[token] = [label]
        else:
            entries.append(label)
    prefixes = _prefix_cache
    out = []
    limit = MAX_POSITIONS_PER_LEXEME
    for lexeme, entries in positions.items():
        prefix = prefixes.get(lexeme)
        if prefix is None:
            if len(prefixes) > _CACHE_LIMIT:
                prefixes.clear()
            prefix = prefixes[lexeme] = _quote(lexeme) + ":"
        out.append(prefix + ",".join(entries if len(entries) <= limit else entries[:limit]))
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
