"""Writes to a graduate's profile and résumé. Views and tests call these; forms only validate input shape."""

import re
import secrets
import unicodedata
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from regions.models import Province

from .models import OTHER_PROVINCE, GraduateProfile, User
from .pdf import TooComplex, active_content

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
PDF_MAGIC = b"%PDF-"
CURRENT_COHORT_RANGE = (1980, 2100)


def normalise_mobile(value: str) -> str:
    """Full-width digits to half-width; drop spaces, dashes and a +86 / 0086 prefix."""
    text = unicodedata.normalize("NFKC", value or "")
    text = re.sub(r"[\s\-()]", "", text)
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if len(text) == 13 and text.startswith("86"):
        text = text[2:]
    return text


def validate_mobile(value: str) -> str:
    """A mainland China mobile number: 11 digits starting 13–19. Returns it normalised."""
    mobile = normalise_mobile(value)
    if not MOBILE_RE.match(mobile):
        raise ValidationError(_("请输入11位中国大陆手机号码，如 13812345678"), code="mobile")
    return mobile


def study_province_codes() -> set[str]:
    return {*Province.objects.values_list("code", flat=True), OTHER_PROVINCE}


def study_province_choices() -> list[tuple[str, str]]:
    """The four regions by name, then "elsewhere"; the profile form and the fair qualifications use these."""
    return [
        *((province.code, province.local_name) for province in Province.objects.order_by("code")),
        (OTHER_PROVINCE, _("长三角以外")),
    ]


def _storage() -> Storage:
    """The résumé field's own storage (settings.STORAGES["resumes"])."""
    return GraduateProfile._meta.get_field("resume").storage


def profile_get(*, user: User) -> GraduateProfile:
    profile, _created = GraduateProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(
    *,
    user: User,
    name: str,
    mobile: str,
    school: str = "",
    major: str = "",
    degree: int | None = None,
    cohort: int | None = None,
    study_province: str = "",
) -> GraduateProfile:
    errors = {}
    study_province = (study_province or "").strip()
    if study_province and study_province not in study_province_codes():
        errors["study_province"] = _("请选择院校所在省份")
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写姓名")
    try:
        mobile = validate_mobile(mobile) if mobile else ""
    except ValidationError as error:
        errors["mobile"] = error.messages[0]
    if not mobile and "mobile" not in errors:
        errors["mobile"] = _("请填写手机号码")
    if cohort is not None and not CURRENT_COHORT_RANGE[0] <= cohort <= CURRENT_COHORT_RANGE[1]:
        errors["cohort"] = _("请填写四位数的毕业年份，如 2026")
    if errors:
        raise ValidationError(errors)
    profile = GraduateProfile.objects.select_for_update().get(pk=profile_get(user=user).pk)
    profile.name = name
    profile.mobile = mobile
    profile.school = (school or "").strip()
    profile.major = (major or "").strip()
    profile.degree = degree
    profile.cohort = cohort
    profile.study_province = study_province
    profile.full_clean(exclude=["user", "resume"])
    profile.save()
    if user.name != name:
        user.name = name
        user.save(update_fields=["name"])
    return profile


def check_resume(*, content: bytes) -> None:
    """Refuse anything that is not a readable, inert PDF of at most ``RESUME_MAX_BYTES``.

    Size, magic bytes, a parse, then the walk for script and automatic actions (``accounts.pdf``).
    """
    limit = settings.RESUME_MAX_BYTES
    if len(content) > limit:
        raise ValidationError(
            {"resume": _("简历文件不能超过%(mb)d MB") % {"mb": limit // (1024 * 1024)}}, code="too_large"
        )
    if not content:
        raise ValidationError({"resume": _("文件是空的")}, code="empty")
    if not content.startswith(PDF_MAGIC):
        raise ValidationError({"resume": _("文件不是PDF格式，请上传PDF简历")}, code="not_pdf")
    try:
        reader = PdfReader(BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            message = _("PDF设有打开密码，招聘单位无法阅读，请上传未加密的文件")
            raise ValidationError({"resume": message}, code="encrypted")
        if len(reader.pages) < 1:
            raise ValidationError({"resume": _("PDF没有页面")}, code="no_pages")
        if found := active_content(reader):
            message = _(
                "PDF含有会自动运行的内容（%(kinds)s），招聘单位打开时有安全风险。"
                "请用“打印为PDF”或“导出为PDF”重新生成后上传。"
            ) % {"kinds": "、".join(found)}
            raise ValidationError({"resume": message}, code="active_content")
    except ValidationError:
        raise
    except (
        PdfReadError,
        TooComplex,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        OSError,
        RecursionError,
    ):
        raise ValidationError({"resume": _("PDF文件已损坏或无法读取，请重新导出后上传")}, code="unreadable") from None


def resume_upload(*, user: User, file: File, filename: str = "") -> GraduateProfile:
    """Store a new résumé under an unguessable name; the old file is deleted once the change commits."""
    limit = settings.RESUME_MAX_BYTES
    content = file.read(limit + 1)
    check_resume(content=content)
    storage = _storage()
    name = storage.save(f"resumes/{secrets.token_urlsafe(24)}.pdf", ContentFile(content))
    try:
        with transaction.atomic():
            profile = GraduateProfile.objects.select_for_update().get(pk=profile_get(user=user).pk)
            old = profile.resume.name
            profile.resume.name = name
            profile.resume_filename = (filename or getattr(file, "name", "") or "resume.pdf")[-200:]
            profile.resume_size = len(content)
            profile.resume_uploaded_at = timezone.now()
            profile.save()
            if old:
                transaction.on_commit(lambda: storage.delete(old))
    except Exception:
        storage.delete(name)
        raise
    return profile


@transaction.atomic
def resume_delete(*, user: User) -> GraduateProfile:
    profile = GraduateProfile.objects.select_for_update().get(pk=profile_get(user=user).pk)
    old = profile.resume.name
    profile.resume.name = ""
    profile.resume_filename = ""
    profile.resume_size = None
    profile.resume_uploaded_at = None
    profile.save()
    if old:
        storage = _storage()
        transaction.on_commit(lambda: storage.delete(old))
    return profile
