import os

import pytest
from django.conf import settings

from jobs.parsing import EducationLevel, ParsedSalary, format_salary, parse_education, parse_salary


@pytest.fixture(autouse=True, scope="module")
def _settings_for_gettext() -> None:
    # format_salary uses gettext, which needs settings even when pytest-django is not loaded.
    if not os.environ.get("DJANGO_SETTINGS_MODULE") and not settings.configured:
        settings.configure(USE_I18N=False)


# --- parse_salary ---


@pytest.mark.parametrize(
    ("text", "monthly_min", "monthly_max", "months"),
    [
        ("8k-12k", 8000, 12000, 12),
        ("8K-12K", 8000, 12000, 12),
        ("8千-1.2万", 8000, 12000, 12),
        ("15-25K·14薪", 15000, 25000, 14),
        ("15-25k*13薪", 15000, 25000, 13),
        ("15-25K・13薪", 15000, 25000, 13),
        ("15-25k×16薪", 15000, 25000, 16),
        ("1-1.5万/月", 10000, 15000, 12),
        ("1-1.5万元/月", 10000, 15000, 12),
        ("15-25万/年", 12500, 20833, 12),  # 250000 / 12 = 20833.33
        ("年薪30万", 25000, 25000, 12),
        ("100万/年", 83333, 83333, 12),
        ("200元/天", 4350, 4350, 12),  # 200 × 21.75
        ("150元/日", 3263, 3263, 12),  # 3262.5 rounds half up
        ("日薪200", 4350, 4350, 12),
        ("100元/小时", 17400, 17400, 12),  # 100 × 8 × 21.75
        ("20元/时", 3480, 3480, 12),
        ("6000-8000元", 6000, 8000, 12),
        ("6000元-8000元", 6000, 8000, 12),
        ("6000-8000", 6000, 8000, 12),
        ("6,000-8,000元/月", 6000, 8000, 12),
        ("6000元/月", 6000, 6000, 12),
        ("月薪6000元", 6000, 6000, 12),
        ("8000", 8000, 8000, 12),
        ("8k", 8000, 8000, 12),
        ("8.5k-12k", 8500, 12000, 12),
        ("1.2w-2w", 12000, 20000, 12),
        ("1万以上", 10000, None, 12),
        ("1万/月以上", 10000, None, 12),
        ("8k起", 8000, None, 12),
        ("8k以上·13薪", 8000, None, 13),
        ("5000以下", None, 5000, 12),
        ("8k-8k", 8000, 8000, 12),
        # full-width characters and the usual range separators
        ("８ｋ－１２ｋ", 8000, 12000, 12),
        ("１５－２５Ｋ·１４薪", 15000, 25000, 14),
        ("8k~12k", 8000, 12000, 12),
        ("8k～12k", 8000, 12000, 12),
        ("8k〜12k", 8000, 12000, 12),
        ("8k—12k", 8000, 12000, 12),
        ("8k——12k", 8000, 12000, 12),
        ("8k–12k", 8000, 12000, 12),
        ("8k至12k", 8000, 12000, 12),
        ("8k到12k", 8000, 12000, 12),
        (" 8k - 12k ", 8000, 12000, 12),
        ("1000000", 1_000_000, 1_000_000, 12),
    ],
)
def test_parse_salary(text: str, monthly_min: int | None, monthly_max: int | None, months: int) -> None:
    assert parse_salary(text) == ParsedSalary(
        monthly_min=monthly_min,
        monthly_max=monthly_max,
        months=months,
        negotiable=False,
        parsed=True,
        text=text.strip(),
    )


@pytest.mark.parametrize("text", ["面议", "薪资面议", "保密", "待定", "薪资保密", "工资面议", " 面议 ", "Negotiable"])
def test_negotiable_salary(text: str) -> None:
    assert parse_salary(text) == ParsedSalary(
        monthly_min=None, monthly_max=None, months=12, negotiable=True, parsed=True, text=text.strip()
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "8k-",
        "面试定",
        "-5000",
        "abc",
        "12k-8k",  # min > max
        "0-0",
        "0-5000",
        "2000k",  # absurd: 2,000,000 a month
        "200万",
        "8k-2000k",
        "8-12",  # unit missing: 8 to 12 yuan a month is not a salary
        "8k-12k以上",
        "8k-12k-16k",
        "15-25万/年·13薪",  # months only make sense for monthly pay
        "15-25K·6薪",
        "15-25K·0薪",
        "年薪15万/月",  # contradictory periods
        "8k/月/月",
        "5000/周",
        "8k-12k+提成",
        "1e5",
        "面议8k",
    ],
)
def test_unparseable_salary_is_flagged_not_guessed(text: str) -> None:
    assert parse_salary(text) == ParsedSalary(
        monthly_min=None, monthly_max=None, months=12, negotiable=False, parsed=False, text=text.strip()
    )


def test_unparsed_salary_keeps_original_text() -> None:
    assert parse_salary("  面试定 ").text == "面试定"
    assert parse_salary("８ｋ－").text == "８ｋ－"


# --- format_salary ---


@pytest.mark.parametrize(
    ("monthly_min", "monthly_max", "months", "negotiable", "expected"),
    [
        (8000, 12000, 13, False, "8–12K·13薪"),
        (8000, 12000, 12, False, "8–12K"),
        (15000, 25000, 14, False, "15–25K·14薪"),
        (8500, 12000, 12, False, "8.5–12K"),
        (12500, 20833, 12, False, "12.5–20.8K"),
        (4350, 4350, 12, False, "4.4K"),  # 4.35 rounds half up
        (8000, 8000, 12, False, "8K"),
        (8000, None, 12, False, "8K以上"),
        (10000, None, 13, False, "10K以上·13薪"),
        (None, 5000, 12, False, "5K以下"),
        (None, None, 12, True, "面议"),
        (8000, 12000, 14, True, "面议"),
        (None, None, 12, False, ""),
        (100000, 150000, 12, False, "100–150K"),
    ],
)
def test_format_salary(
    monthly_min: int | None, monthly_max: int | None, months: int, negotiable: bool, expected: str
) -> None:
    assert format_salary(monthly_min, monthly_max, months, negotiable) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8k-12k", "8–12K"),
        ("15-25K·14薪", "15–25K·14薪"),
        ("8千-1.2万", "8–12K"),
        ("1万以上", "10K以上"),
        ("薪资面议", "面议"),
        ("15-25万/年", "12.5–20.8K"),
    ],
)
def test_parse_then_format(text: str, expected: str) -> None:
    parsed = parse_salary(text)
    assert format_salary(parsed.monthly_min, parsed.monthly_max, parsed.months, parsed.negotiable) == expected


# --- parse_education ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("  ", 0),
        ("不限", 0),
        ("学历不限", 0),
        ("高中", 1),
        ("中专", 1),
        ("中技", 1),
        ("高中及以上", 1),
        ("中专/高中", 1),
        ("中专及以上学历", 1),
        ("大专", 2),
        ("专科", 2),
        ("高职", 2),
        ("大专及以上", 2),
        ("大专以上学历", 2),
        ("本科", 3),
        ("本科及以上", 3),
        ("本科及以上学历", 3),
        ("学士", 3),
        ("学士学位", 3),
        ("全日制本科", 3),
        ("统招本科", 3),
        ("大学本科", 3),
        ("硕士", 4),
        ("研究生", 4),
        ("硕士研究生", 4),
        ("硕士及以上", 4),
        ("博士", 5),
        ("博士研究生", 5),
        ("本科/硕士", 3),  # several listed: the lowest is the requirement
        ("Bachelor", 3),
        ("bachelor's degree", 3),
        ("Bachelor’s degree or above", 3),
        ("BACHELORS", 3),
        ("Master", 4),
        ("Master's degree", 4),
        ("PhD", 5),
        ("Ph.D.", 5),
        ("Doctorate", 5),
        ("Associate", 2),
        ("Associate degree", 2),
        ("High school", 1),
        ("high school or above", 1),
        ("本科（全日制）", 3),  # full-width parentheses
        # Below high school, or a ceiling ("… 及以下"): nothing a graduate lacks, so no requirement on our scale.
        ("初中", 0),
        ("初中及以上", 0),
        ("初中及以下", 0),
        ("小学", 0),
        ("高中及以下", 0),
        ("中专及以下学历", 0),
        ("本科以下", 0),
    ],
)
def test_parse_education(text: str, expected: int) -> None:
    assert parse_education(text) == expected


@pytest.mark.parametrize(
    "text",
    ["abc", "学历", "及以上", "以下", "及以下", "abc以下", "博士后", "985本科", "college", "本科生优先"],
)
def test_unknown_education_is_none(text: str) -> None:
    assert parse_education(text) is None


def test_education_levels_are_ordered() -> None:
    assert [level.value for level in EducationLevel] == [0, 1, 2, 3, 4, 5]
    assert [level.name for level in EducationLevel] == [
        "ANY",
        "HIGH_SCHOOL",
        "ASSOCIATE",
        "BACHELOR",
        "MASTER",
        "DOCTOR",
    ]
