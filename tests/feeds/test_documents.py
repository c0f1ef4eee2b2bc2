"""The feed's fast document builder writes exactly what ``jobs.search`` writes for the same fields.

Search ranks feed vacancies and employer postings alike only if both build the same ``tsvector`` literal, so this
compares strings byte for byte (a stored-vector comparison would hide a difference in lexeme order or labels).
"""

import sys
import unicodedata

import pytest

from feeds import documents, samplegen
from jobs.search import MAX_POSITION, MAX_POSITIONS_PER_LEXEME, build_document

TRICKY = [
    "",
    "<p>岗位职责：</p><ul><li>负责Java/C++开发</li><li>熟悉.NET与C#，ＣＥＴ－４</li></ul>",
    "<p>五险一金</p>五险一金<br>五险一金&nbsp;年假",
    "Python<b>开发</b>工程师<i>PLC</i>x.net<em>.net</em>",
    "＜script＞alert(1)＜/script＞ 全角Ａ１２３",
    "岗位" * 40 + "<li>" + "Java " * 50 + "</li>",
    "<p>" + "甲" * 500 + "</p><p>" + "长段落没有标签" * 80,
    "a\u0301<li>\u0301e</li>\u00b4<br>\uff21",
    "<<>>< p >&lt;li&gt;",
]


def parts(title: str, employer: str, place: str, industry: str, tags: str, description: str):
    return [("A", title), ("A", employer), ("B", place), ("B", industry), ("B", tags), ("C", description)]


def test_documents_of_a_generated_feed_equal_build_document():
    for v in samplegen.make_vacancies(province="320000", count=400, employers=30, seed=7):
        for description in (v.description_html, v.description_text):
            fields = parts(
                v.title,
                v.employer.name,
                f"{v.province} {v.city_name} {v.address}",
                "制造业",
                f"{v.title} {' '.join(v.benefits)}",
                description,
            )
            assert documents.build_document_fast(fields) == build_document(fields)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_in_every_weight(text):
    for weight in "ABC":
        fields = [("A", "测试工程师"), (weight, text), ("C", text), ("B", text + " 南京")]
        assert documents.build_document_fast(fields) == build_document(fields)
        # twice: the second call is served from the caches
        assert documents.build_document_fast(fields) == build_document(fields)


def test_position_and_per_lexeme_limits():
    many = " ".join(f"w{i % 3000}" for i in range(MAX_POSITION + 500))
    fields = [("A", "工程师 " * (MAX_POSITIONS_PER_LEXEME + 5)), ("C", many), ("B", "南京市")]
    assert documents.build_document_fast(fields) == build_document(fields)


def test_nfkc_never_joins_across_an_ascii_space():
    """Why splitting a description at its tags is exact: normalising around a space is local."""
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        assert unicodedata.normalize("NFKC", " " + c) == " " + unicodedata.normalize("NFKC", c)
        assert unicodedata.normalize("NFKC", c + " ") == unicodedata.normalize("NFKC", c) + " "
