import os

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from employers.uscc import ALPHABET, check_character, division_code, make_uscc, validate_uscc

VALID = ["91310000132149237G", "91110000600037341L"]


@pytest.fixture(autouse=True, scope="module")
def _settings_for_lazy_messages() -> None:
    # Error messages are gettext_lazy; rendering them needs settings even when pytest-django is not loaded.
    if not os.environ.get("DJANGO_SETTINGS_MODULE") and not settings.configured:
        settings.configure(USE_I18N=False)


def _error(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(value)
    return excinfo.value


@pytest.mark.parametrize("code", VALID)
def test_known_valid_codes_pass(code: str) -> None:
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  91310000132149237G  ", "91310000132149237G"),
        ("91310000132149237g", "91310000132149237G"),
        ("９１３１００００１３２１４９２３７Ｇ", "91310000132149237G"),  # full-width
        ("9131 0000 1321 4923 7G", "91310000132149237G"),
        ("\u30009111000060003734１l", "91110000600037341L"),  # ideographic space, mixed widths
    ],
)
def test_input_is_normalised(raw: str, expected: str) -> None:
    assert validate_uscc(raw) == expected


@pytest.mark.parametrize(
    ("value", "length"),
    [("", 0), ("9131000013214923", 16), ("91310000132149237", 17), ("91310000132149237G1", 19)],
)
def test_wrong_length(value: str, length: int) -> None:
    error = _error(value)
    assert error.code == "length"
    assert error.messages == [f"统一社会信用代码应为18位，当前为{length}位"]


@pytest.mark.parametrize(
    ("value", "char", "position"),
    [
        ("91310000132149237O", "O", 18),
        ("9131000013214923IG", "I", 17),
        ("91310000s32149237G", "S", 9),  # lower case is upper-cased before the check
        ("V1310000132149237G", "V", 1),
        ("913100001321Z9237G", "Z", 13),
        ("9131000013214923-G", "-", 17),
        ("9131000013214923中G", "中", 17),
    ],
)
def test_bad_character_is_named(value: str, char: str, position: int) -> None:
    error = _error(value)
    assert error.code == "charset"
    (message,) = error.messages
    assert f"第{position}位" in message
    assert f"“{char}”" in message
    assert "I、O、S、V、Z" in message


@pytest.mark.parametrize("value", ["91310000132149237H", "91110000600037341K", "91310000132149273G"])
def test_wrong_check_character(value: str) -> None:
    error = _error(value)
    assert error.code == "checksum"
    # The expected check character is not revealed.
    assert error.messages == ["统一社会信用代码校验位不正确，请核对"]


@pytest.mark.parametrize("code", VALID)
def test_every_single_character_change_is_caught(code: str) -> None:
    for position in range(len(code)):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert _error(changed).code == "checksum", changed


def test_division_must_be_digits() -> None:
    first17 = "91AB0000132149237"
    error = _error(first17 + check_character(first17))
    assert error.code == "division"


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("91310000132149237", "G"),
        ("91110000600037341", "L"),
        ("91320500000000002", "0"),  # weighted sum ≡ 0 (mod 31): 31 maps to 0
        ("91310115000000002", "Y"),
    ],
)
def test_check_character(first17: str, check: str) -> None:
    assert check_character(first17) == check


@pytest.mark.parametrize("first17", ["9131000013214923", "913100001321492370", "9131000013214923O"])
def test_check_character_rejects_bad_input(first17: str) -> None:
    with pytest.raises(ValueError):
        check_character(first17)


@pytest.mark.parametrize(("code", "division"), [("91310000132149237G", "310000"), (" 91110000600037341l", "110000")])
def test_division_code(code: str, division: str) -> None:
    assert division_code(code) == division


def test_division_code_of_invalid_code_raises() -> None:
    with pytest.raises(ValidationError):
        division_code("91310000132149237H")


@pytest.mark.parametrize(
    ("kwargs", "expected_prefix"),
    [
        ({"division": "320500", "serial": "MA1PQR001"}, "91320500MA1PQR001"),
        ({"division": "310115", "serial": "000000000"}, "91310115000000000"),
        ({"division": "330100", "serial": "YYYYYYYYY"}, "91330100YYYYYYYYY"),
        ({"division": "340100", "serial": "ma2x3w4u5"}, "91340100MA2X3W4U5"),
        ({"division": "320200", "serial": "123456789", "registry": "5", "kind": "2"}, "52320200123456789"),
        ({"division": "310000", "serial": "132149237"}, "91310000132149237"),
    ],
)
def test_make_uscc_builds_valid_codes(kwargs: dict[str, str], expected_prefix: str) -> None:
    code = make_uscc(**kwargs)
    assert code[:17] == expected_prefix
    assert validate_uscc(code) == code
    assert division_code(code) == kwargs["division"]
    assert make_uscc(**kwargs) == code  # deterministic


def test_make_uscc_reproduces_known_code() -> None:
    assert make_uscc(division="310000", serial="132149237") == "91310000132149237G"


def test_make_uscc_codes_validate_across_many_serials() -> None:
    for n in range(500):
        serial = "".join(ALPHABET[(n * 7 + i * 13) % len(ALPHABET)] for i in range(9))
        code = make_uscc(division="320500", serial=serial)
        assert validate_uscc(code) == code


@pytest.mark.parametrize(
    "kwargs",
    [
        {"division": "32050", "serial": "MA1PQR001"},
        {"division": "32O500", "serial": "MA1PQR001"},
        {"division": "320500", "serial": "MA1PQR00"},
        {"division": "320500", "serial": "MA1PQR0011"},
        {"division": "320500", "serial": "MA1PQR00O"},
        {"division": "320500", "serial": "MA1PQR001", "registry": "91"},
    ],
)
def test_make_uscc_rejects_bad_parts(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        make_uscc(**kwargs)
