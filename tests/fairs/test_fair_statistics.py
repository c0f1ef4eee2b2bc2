"""fair_statistics and fair_stats on small hand-made fairs, so the arithmetic is checked apart from the seed."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from fairs.selectors import fair_statistics
from tests.factories import EmployerFactory, FairFactory, JobPostingFactory, ParticipationFactory, city, industry

pytestmark = pytest.mark.django_db

ZERO = {"employers": 0, "positions": 0}


def _participate(fair, *, city_code: str, ownership: str, section: str, positions: int):
    employer = EmployerFactory(city=city(city_code), ownership=ownership, industry=industry(section))
    return ParticipationFactory(fair=fair, employer=employer, positions=positions)


@pytest.fixture
def small_fair():
    fair = FairFactory(slug="spring-2026", starts_on=date(2026, 3, 20), ends_on=date(2026, 3, 20))
    sh_software = _participate(fair, city_code="310115", ownership="private", section="I", positions=12)
    _participate(fair, city_code="310104", ownership="state", section="C", positions=30)
    _participate(fair, city_code="320500", ownership="foreign", section="C", positions=8)
    _participate(fair, city_code="340100", ownership="other", section="P", positions=5)
    _participate(fair, city_code="320100", ownership="private", section="J", positions=0)
    # The Shanghai employer's vacancy is in Hangzhou: it still counts for Shanghai (the employer's own province).
    JobPostingFactory(employer=sh_software.employer, city=city("330100"), fair=fair)
    # Another fair's participation of the same employer is not counted.
    other = FairFactory(slug="autumn-2025", starts_on=date(2025, 10, 1), ends_on=date(2025, 10, 1))
    ParticipationFactory(fair=other, employer=sh_software.employer, positions=99)
    return fair


def test_the_arithmetic(small_fair, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(2):
        stats = fair_statistics(small_fair)
    assert stats == {
        "fair": "spring-2026",
        "employers": 5,
        "positions": 55,
        "by_ownership": {
            "state": {"employers": 1, "positions": 30},
            "private": {"employers": 2, "positions": 12},
            "foreign": {"employers": 1, "positions": 8},
            "other": {"employers": 1, "positions": 5},
        },
        "by_province": {
            "310000": {"employers": 2, "positions": 42},
            "320000": {"employers": 2, "positions": 8},
            "330000": ZERO,
            "340000": {"employers": 1, "positions": 5},
        },
        "by_industry": {
            "C": {"employers": 2, "positions": 38},
            "I": {"employers": 1, "positions": 12},
            "J": {"employers": 1, "positions": 0},
            "P": {"employers": 1, "positions": 5},
        },
        "share_c_plus_i": 0.6,
    }


def test_the_share_is_rounded_to_a_tenth_of_a_percent() -> None:
    fair = FairFactory()
    for section in ("C", "F", "F"):
        _participate(fair, city_code="310115", ownership="private", section=section, positions=1)
    assert fair_statistics(fair)["share_c_plus_i"] == 0.333


def test_an_empty_fair_has_zeros_everywhere() -> None:
    stats = fair_statistics(FairFactory(slug="empty"))
    assert stats["employers"] == stats["positions"] == 0
    assert stats["by_ownership"] == {"state": ZERO, "private": ZERO, "foreign": ZERO, "other": ZERO}
    assert stats["by_province"] == {"310000": ZERO, "320000": ZERO, "330000": ZERO, "340000": ZERO}
    assert stats["by_industry"] == {}
    assert stats["share_c_plus_i"] == 0.0


def _command(*args) -> str:
    out = io.StringIO()
    call_command("fair_stats", *args, stdout=out)
    return out.getvalue()


def test_the_command_defaults_to_the_latest_fair(small_fair) -> None:
    stats = json.loads(_command("--json"))
    assert stats == fair_statistics(small_fair)  # spring-2026 is later than autumn-2025
    assert json.loads(_command("--fair", "autumn-2025", "--json"))["positions"] == 99


def test_the_table(small_fair) -> None:
    out = _command()
    assert small_fair.name in out
    lines = out.splitlines()
    state = next(line for line in lines if "国有企业/事业单位" in line)
    assert state.split()[-3:] == ["1", "20.0%", "30"]
    anhui = next(line for line in lines if "安徽省" in line)
    assert anhui.split()[-3:] == ["1", "20.0%", "5"]
    zhejiang = next(line for line in lines if "浙江省" in line)
    assert zhejiang.split()[-3:] == ["0", "0.0%", "0"]
    assert "60.0%" in out  # C + I


def test_an_unknown_slug_is_an_error_naming_the_known_fairs(small_fair) -> None:
    with pytest.raises(CommandError) as excinfo:
        _command("--fair", "nope")
    assert "nope" in str(excinfo.value)
    assert "spring-2026" in str(excinfo.value) and "autumn-2025" in str(excinfo.value)


def test_no_fairs_at_all_is_an_error() -> None:
    with pytest.raises(CommandError) as excinfo:
        _command("--json")
    assert "seed_demo" in str(excinfo.value)


def test_demo_logins_before_seeding_says_the_accounts_are_missing() -> None:
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "http://127.0.0.1:8000/" in out.getvalue()
    assert out.getvalue().count("not created yet") == 7
