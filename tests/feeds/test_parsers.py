"""Parsing each format, and refusing documents that cannot be read, with a message staff can act on."""

import json

import pytest

from feeds.parsers import FeedParseError, parse

from .conftest import sample
from .feedkit import jsonld, posting


def records(body: bytes, format: str = "jsonld", encoding: str = "auto"):
    return list(parse(body, format=format, encoding=encoding))


def test_jsonld_list_itemlist_and_graph_give_the_same_fields():
    item = posting("X1")
    as_list = records(jsonld(item))
    as_itemlist = records(
        json.dumps(
            {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "position": 1, "item": item}]},
            ensure_ascii=False,
        ).encode()
    )
    org = item["hiringOrganization"] | {"@id": "#org"}
    graph_item = item | {"hiringOrganization": {"@id": "#org"}}
    as_graph = records(json.dumps({"@context": "https://schema.org", "@graph": [org, graph_item]}).encode())
    assert len(as_list) == len(as_itemlist) == len(as_graph) == 1
    assert as_list[0].fields == as_itemlist[0].fields == as_graph[0].fields
    fields = as_list[0].fields
    assert fields["id"] == "X1"
    assert fields["employer_name"] == "苏州汇川精密机械有限公司"
    assert fields["places"] == ["苏州"]


def test_jsonld_salary_identifier_and_employment_type_variants():
    [rec] = records(
        jsonld(
            posting(
                "ignored",
                identifier={"@type": "PropertyValue", "name": "编号", "value": 778},
                baseSalary={
                    "@type": "MonetaryAmount",
                    "currency": "CNY",
                    "value": {
                        "@type": "QuantitativeValue",
                        "minValue": 15000,
                        "maxValue": 25000.0,
                        "unitText": "MONTH",
                    },
                },
                employmentType=["FULL_TIME", "INTERN"],
                jobLocation=[
                    {"@type": "Place", "address": {"addressRegion": "江苏省", "addressLocality": "南京市"}},
                    {"@type": "Place", "address": "杭州"},
                ],
            )
        )
    )
    assert rec.fields["id"] == "编号:778"
    assert rec.fields["salary"] == "15000-25000元/月"
    assert rec.fields["employment_type"] == ["FULL_TIME", "INTERN"]
    assert rec.fields["places"] == ["江苏省南京市", "杭州"]
    [yearly] = records(
        jsonld(posting("Y", baseSalary={"@type": "MonetaryAmount", "value": {"value": 200000, "unitText": "YEAR"}}))
    )
    assert yearly.fields["salary"] == "200000元/年"
    [usd] = records(jsonld(posting("U", baseSalary={"currency": "USD", "value": 5000})))
    assert "USD" in usd.fields["salary"]


def test_jsonld_non_jobposting_entries_are_per_record_errors():
    recs = records(jsonld(posting("A"), {"@type": "Organization", "name": "x"}, "text"))
    assert [bool(r.error) for r in recs] == [False, True, True]


@pytest.mark.parametrize(
    "body, message",
    [
        (b'[{"@type": "JobPosting", "title": "x",]', "JSON 格式错误"),
        (b'{"@type": "Organization"}', "顶层"),
        (b"", "JSON 格式错误"),
    ],
)
def test_malformed_json_is_one_clear_error(body, message):
    with pytest.raises(FeedParseError, match=message):
        records(body)


def test_xml_sample_with_cdata_description():
    recs = records(sample("zhejiang.xml"), "xml")
    assert len(recs) == 40
    first = recs[0].fields
    assert first["id"].startswith("ZJ")
    assert first["description"].startswith("<p>岗位职责")
    assert first["uscc"] and first["employer_name"] and first["places"]


@pytest.mark.parametrize(
    "body, message",
    [
        (b"<jobs><job id='1'><title>x</title></jobs>", "XML 格式错误"),
        (b"<feed><job id='1'/></feed>", "根元素"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><jobs><job id="1"><title>&lol3;</title></job></jobs>',
            "DTD",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE jobs [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<jobs><job id="1"><title>&xxe;</title></job></jobs>',
            "DTD",
        ),
    ],
    ids=["malformed", "wrong-root", "billion-laughs", "xxe"],
)
def test_hostile_or_broken_xml_is_refused(body, message):
    with pytest.raises(FeedParseError, match=message):
        records(body, "xml")


def test_xml_declared_gbk_is_read_as_gbk():
    body = '<?xml version="1.0" encoding="GBK"?><jobs><job id="g1"><title>会计</title></job></jobs>'.encode("gbk")
    [rec] = records(body, "xml")
    assert rec.fields["title"] == "会计"


def test_gbk_bytes_declared_as_utf8_are_refused_with_a_hint():
    body = '<?xml version="1.0" encoding="UTF-8"?><jobs><job id="g1"><title>会计</title></job></jobs>'.encode("gbk")
    with pytest.raises(FeedParseError, match="GBK"):
        records(body, "xml")
    with pytest.raises(FeedParseError, match="不是有效的 UTF-8"):
        records(jsonld(posting("A")).decode().encode("gbk"), "jsonld", "utf-8")


def test_csv_as_excel_writes_it_gbk_and_utf8_with_bom_read_alike():
    gbk = records(sample("anhui-gbk.csv"), "csv")
    utf8 = records(sample("anhui-utf8.csv"), "csv")
    assert len(gbk) == len(utf8) == 36
    assert [r.fields for r in gbk] == [r.fields for r in utf8]
    assert gbk[0].fields["id"].startswith("AH")
    assert "\n" in gbk[0].fields["description"]  # multi-line cells survive
    # explicit encodings
    assert len(records(sample("anhui-gbk.csv"), "csv", "gbk")) == 36
    with pytest.raises(FeedParseError, match="GBK"):
        records(sample("anhui-gbk.csv"), "csv", "utf-8")


def test_csv_missing_required_header_is_refused():
    with pytest.raises(FeedParseError, match="职位编号"):
        records("职位名称,单位名称,工作地点\n会计,某公司,苏州\n".encode(), "csv")


def test_csv_malformed_quote_is_refused_and_a_short_row_is_a_record_error():
    header = "职位编号,职位名称,单位名称,工作地点\n"
    with pytest.raises(FeedParseError, match="CSV 格式错误"):
        records((header + 'A1,"会计,某公司,苏州\n').encode(), "csv")
    recs = records((header + "A1,会计,某公司,苏州\nA2,出纳\n").encode(), "csv")
    assert not recs[0].error
    assert "列" in recs[1].error and recs[1].external_id == "A2"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<p>岗位职责：</p><ul><li>负责Java开发</li></ul>",
        "<SCRIPT>alert(1)</script>",
        "< ſcript>",  # long s: a case-insensitive match for "s"
        "<ıframe src=x>",
        "<svg/onload=alert(1)>",
        "<p onclick = 'x'>",
        "联系 only=1",
        "JavaScript:void(0)",
        "请访问 javascript：（全角冒号）",
        "<mathematics>",
        "<math>",
        "a <b>粗体</b> = 等号",
    ],
)
def test_unsafe_html_check_agrees_with_the_full_pattern(text):
    from feeds.normalise import _UNSAFE_HTML, unsafe_html

    assert unsafe_html(text) == (_UNSAFE_HTML.search(text) is not None)
