"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015) validation.

Layout of the 18 characters: registry authority (1), organisation kind (1), registering division's GB/T 2260
code (6), organisation code body (9), check character (1).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

_VALUES = {char: index for index, char in enumerate(ALPHABET)}


def normalise_uscc(value: str) -> str:
    """Full-width to half-width, drop all whitespace, uppercase. Does not validate."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    """Check character for the first 17 characters of a code.

    Raises ValueError for input that is not 17 characters of the alphabet: this is a programming helper;
    user input goes through ``validate_uscc``.
    """
    if len(first17) != LENGTH - 1:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    try:
        total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not in the USCC alphabet") from None
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return the normalised code, or raise ValidationError.

    Error codes: "length", "charset", "checksum", "division" (characters 3–8 not digits).
    """
    code = normalise_uscc(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位"),
            code="length",
            params={"length": len(code)},
        )
    for position, char in enumerate(code, start=1):
        if char not in _VALUES:
            raise ValidationError(
                _("统一社会信用代码第%(position)d位的字符“%(char)s”无效；代码只含数字和大写字母，不使用 I、O、S、V、Z"),
                code="charset",
                params={"position": position, "char": char},
            )
    if check_character(code[:-1]) != code[-1]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对"), code="checksum")
    if not code[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第3–8位应为登记管理机关的行政区划代码（6位数字）"),
            code="division",
        )
    return code


def division_code(uscc: str) -> str:
    """GB/T 2260 code of the registering division (characters 3–8). Validates the code first."""
    return validate_uscc(uscc)[2:8]


def make_uscc(*, division: str, serial: str, registry: str = "9", kind: str = "1") -> str:
    """Build a valid code, e.g. for demo data: ``make_uscc(division="320500", serial="MA1PQR001")``.

    ``serial`` is the 9-character organisation code body; its own GB 11714 check is not enforced.
    """
    if len(division) != 6 or not division.isdigit():
        raise ValueError(f"division must be a 6-digit GB/T 2260 code, got {division!r}")
    if len(serial) != 9:
        raise ValueError(f"serial must be 9 characters, got {serial!r}")
    if len(registry) != 1 or len(kind) != 1:
        raise ValueError("registry and kind must be single characters")
    first17 = f"{registry}{kind}{division}{serial}".upper()
    return first17 + check_character(first17)


def division_agrees_with_city(uscc: str, city_code: str) -> bool:
    """Whether the code's registering division fits the employer's stated city.

    Same code; a county or district inside that prefecture-level city (``320505`` for ``320500``); or the city's
    province registry itself (``320000``). Shanghai's districts are cities here, so ``310115`` or ``310000`` fit
    ``310115``. Codes that do not validate never agree.
    """
    try:
        division = division_code(uscc)
    except ValidationError:
        return False
    if division == city_code:
        return True
    if city_code.endswith("00") and division[:4] == city_code[:4]:
        return True
    return division == city_code[:2] + "0000"
