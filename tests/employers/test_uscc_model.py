"""The Employer model's USCC field: the validator runs in full_clean() and the database keeps codes unique."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from employers.models import Employer, Ownership
from employers.uscc import make_uscc
from tests.factories import EmployerFactory, city, industry

pytestmark = pytest.mark.django_db


def _unsaved(uscc: str, **extra) -> Employer:
    return Employer(
        name="苏州汇川精密机械有限公司",
        uscc=uscc,
        ownership=Ownership.PRIVATE,
        industry=industry("C"),
        city=city("320500"),
        **extra,
    )


def test_a_valid_code_passes_full_clean() -> None:
    employer = _unsaved(make_uscc(division="320500", serial="MA1PQR001"))
    employer.full_clean()
    employer.save()
    assert Employer.objects.get(pk=employer.pk).uscc == employer.uscc


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91310000132149237H", "统一社会信用代码校验位不正确，请核对"),
        ("9131000013214923", "统一社会信用代码应为18位，当前为16位"),
        ("91310000132149237O", "第18位的字符“O”无效"),
    ],
)
def test_a_bad_code_is_refused_by_full_clean_with_the_chinese_message(code: str, message: str) -> None:
    employer = _unsaved(code)
    with pytest.raises(ValidationError) as excinfo:
        employer.full_clean()
    errors = excinfo.value.message_dict
    assert list(errors) == ["uscc"]  # only the code is wrong
    assert any(message in text for text in errors["uscc"])
    assert not Employer.objects.filter(name="苏州汇川精密机械有限公司").exists()


def test_a_duplicate_code_is_refused_by_full_clean() -> None:
    existing = EmployerFactory()
    duplicate = _unsaved(existing.uscc)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "uscc" in excinfo.value.message_dict


def test_a_duplicate_code_is_refused_by_the_database() -> None:
    existing = EmployerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        _unsaved(existing.uscc).save()
    assert Employer.objects.filter(uscc=existing.uscc).count() == 1


@pytest.mark.parametrize(
    "typed", ["91310000132149237g", " 9131 0000 1321 4923 7G ", "９１３１００００１３２１４９２３７Ｇ"]
)
def test_full_clean_stores_the_normalised_code(typed: str) -> None:
    employer = _unsaved(typed)
    employer.full_clean()
    assert employer.uscc == "91310000132149237G"


def test_a_differently_typed_duplicate_is_still_a_duplicate() -> None:
    first = _unsaved("91310000132149237G")
    first.full_clean()
    first.save()
    second = _unsaved("91310000132149237g")
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert "uscc" in excinfo.value.message_dict
