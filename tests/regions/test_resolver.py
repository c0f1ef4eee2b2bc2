"""The one place-name resolver: every spelling of a city gives the same city; anything else gives a reason."""

import pytest

from regions.resolver import resolve_place

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    ["苏州", "苏州市", "江苏苏州", "江苏省苏州市", "Suzhou", "320500", " 苏州 ", "Suzhou City", "suzhou", "江苏 苏州"],
)
def test_every_form_of_suzhou_gives_suzhou(text: str) -> None:
    match = resolve_place(text)
    assert match
    assert match.city.code == "320500"
    assert match.city.name == "苏州市"
    assert match.province.code == "320000"
    assert match.reason == ""


@pytest.mark.parametrize("text", ["浦东", "上海浦东新区", "浦东新区", "上海市浦东新区", "310115", "Pudong"])
def test_pudong(text: str) -> None:
    match = resolve_place(text)
    assert match.city.name == "浦东新区"
    assert match.province.code == "310000"


@pytest.mark.parametrize("text", ["上海", "上海市", "310000", "Shanghai"])
def test_shanghai_alone_is_the_province_only(text: str) -> None:
    match = resolve_place(text)
    assert match
    assert match.province.code == "310000"
    assert match.city is None


@pytest.mark.parametrize("text", ["江苏", "江苏省", "Jiangsu"])
def test_a_province_alone(text: str) -> None:
    match = resolve_place(text)
    assert match.province.code == "320000"
    assert match.city is None


def test_county_code_belongs_to_its_prefecture_city() -> None:
    match = resolve_place("320505")  # 虎丘区, a district of 苏州
    assert match.city.name == "苏州市"


@pytest.mark.parametrize("text", ["Suzhou, Anhui", "Anhui Suzhou", "安徽宿州", "宿州", "341300"])
def test_suzhou_in_anhui_is_suzhou_of_anhui(text: str) -> None:
    match = resolve_place(text)
    assert match.city.name == "宿州市"
    assert match.province.code == "340000"


@pytest.mark.parametrize(("text", "expected"), [("Taizhou, Jiangsu", "泰州市"), ("Taizhou Zhejiang", "台州市")])
def test_taizhou_with_its_province(text: str, expected: str) -> None:
    assert resolve_place(text).city.name == expected


def test_taizhou_alone_is_ambiguous_with_a_reason() -> None:
    match = resolve_place("Taizhou")
    assert not match
    assert match.city is None and match.province is None
    assert "歧义" in match.reason
    assert "泰州市" in match.reason and "台州市" in match.reason


@pytest.mark.parametrize(
    ("text", "reason_part"),
    [
        ("北京", "北京"),
        ("火星", "火星"),
        ("abc", "abc"),
        ("999999", "999999"),
        ("110000", "110000"),  # Beijing's code: outside the four regions
        ("12345", "6位"),
        ("", "未填写"),
        ("   ", "未填写"),
        (None, "未填写"),
        ("苏", "苏"),  # one character is not a city
        ("Beijing", "Beijing"),
    ],
)
def test_unknown_places_give_no_match_and_a_reason(text, reason_part: str) -> None:
    match = resolve_place(text)
    assert not match
    assert match.province is None and match.city is None
    assert match.reason
    assert reason_part in match.reason


@pytest.mark.parametrize("text", ["上海北京", "江苏杭州", "Jiangsu Hangzhou", "上海火星"])
def test_a_province_with_a_city_that_is_not_in_it_is_refused_not_narrowed(text: str) -> None:
    """A place that contradicts itself is not resolved to the province part alone."""
    match = resolve_place(text)
    assert not match
    assert match.reason


def test_a_city_with_a_longer_suffix_still_resolves() -> None:
    assert resolve_place("苏州工业园区").city.name == "苏州市"


@pytest.mark.parametrize("text", ["Pudong New Area", "Pudong New District", "Shanghai Pudong New Area"])
def test_pudongs_official_english_name(text: str) -> None:
    assert resolve_place(text).city.name == "浦东新区"


def test_shanghais_own_city_level_code_is_the_province() -> None:
    match = resolve_place("310100")  # 上海市市辖区
    assert match.province.code == "310000"
    assert match.city is None


def test_an_unknown_code_inside_one_of_our_provinces_says_so() -> None:
    """Not "outside the region": the code is in Jiangsu, just not one of its cities."""
    match = resolve_place("329999")
    assert not match
    assert "江苏省" in match.reason
    assert "不在长三角" not in match.reason
