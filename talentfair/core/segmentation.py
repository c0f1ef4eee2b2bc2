"""Chinese word segmentation shared by the search index and search queries.

Index and query must segment alike or queries find nothing, so there is one segmenter: rjieba in search mode, HMM
off (HMM guesses unknown words differently in different contexts), plus the job-market user dictionary in
``data/userdict.txt``. Latin words (Java, C++, PLC, .NET) are kept whole and case-folded.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import rjieba

USER_DICTIONARY = Path(__file__).resolve().parent / "data" / "userdict.txt"
HMM = False

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9+#]+)*|\.net\b")


@lru_cache(maxsize=1)
def _segmenter() -> rjieba.Jieba:
    segmenter = rjieba.Jieba()
    for line in USER_DICTIONARY.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        segmenter.add_word(fields[0], int(fields[1]) if len(fields) > 1 else 10000, None)
    return segmenter


def normalise(text: str) -> str:
    """Full-width to half-width, case-folded."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """The search tokens of a text, in order, repeats kept (their count feeds the ranking)."""
    text = normalise(text or "")
    out: list[str] = []
    position = 0
    segmenter = _segmenter()
    for match in _CJK_RUN.finditer(text):
        out.extend(_latin_tokens(text[position : match.start()]))
        out.extend(segmenter.cut_for_search(match.group(), HMM))
        position = match.end()
    out.extend(_latin_tokens(text[position:]))
    return out


def cjk_characters(text: str) -> list[str]:
    """The distinct Chinese characters of a text in order of appearance (indexed alone for short, weighty fields)."""
    return list(dict.fromkeys(character for run in _CJK_RUN.findall(normalise(text or "")) for character in run))


def _latin_tokens(text: str) -> list[str]:
    return _LATIN_WORD.findall(text) if text else []
