"""Employers (招聘单位), the industries they belong to, and the recruiters who act for them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from regions.models import english

from .uscc import normalise_uscc, validate_uscc


class Industry(models.Model):
    """A section of GB/T 4754-2017 (A–T)."""

    code = models.CharField(_("门类代码"), max_length=1, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行业门类")
        verbose_name_plural = _("行业门类")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def local_name(self) -> str:
        """The section's name in the active language (制造业 / Manufacturing)."""
        return self.name_en if english() and self.name_en else self.name


class Ownership(models.TextChoices):
    STATE = "state", _("国有企业/事业单位")
    PRIVATE = "private", _("民营企业")
    FOREIGN = "foreign", _("外资/合资企业")
    OTHER = "other", _("其他")


class EmployerSize(models.TextChoices):
    TINY = "lt20", _("20人以下")
    SMALL = "20-99", _("20–99人")
    MEDIUM = "100-499", _("100–499人")
    LARGE = "500-999", _("500–999人")
    XLARGE = "1000-9999", _("1000–9999人")
    HUGE = "10000+", _("10000人以上")


class VerificationState(models.TextChoices):
    UNMATCHED = "unmatched", _("来自合作源，待核验")  # named by a feed without a USCC; staff match or verify it
    PENDING = "pending", _("待审核")
    VERIFIED = "verified", _("已认证")
    REJECTED = "rejected", _("未通过")
    SUSPENDED = "suspended", _("已暂停")


class USCCField(models.CharField):
    """18-character 统一社会信用代码; cleaning stores the normalised form (half-width, upper case, no spaces),
    so "…237g" and "…237G" are the same code for validation and for the unique index."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_uscc(value) if value else value


class EmployerQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verification_state=VerificationState.VERIFIED)

    def public(self):
        """Employers whose pages and vacancies the public sees: verified, or imported by a partner centre."""
        return self.filter(
            models.Q(verification_state=VerificationState.VERIFIED)
            | models.Q(verification_state=VerificationState.PENDING, source_centre__isnull=False)
        )

    def in_province(self, province_code: str):
        return self.filter(city__province_id=province_code)


class Employer(models.Model):
    name = models.CharField(_("单位名称"), max_length=200)
    uscc = USCCField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        null=True,  # only an employer a partner feed named without one (UNMATCHED), until staff match or verify it
        blank=True,
        validators=[validate_uscc],
        help_text=_("18位，含校验位"),
    )
    ownership = models.CharField(_("单位性质"), max_length=10, choices=Ownership.choices, db_index=True)
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="employers", verbose_name=_("行业"))
    city = models.ForeignKey(
        "regions.City", on_delete=models.PROTECT, related_name="employers", verbose_name=_("所在城市")
    )
    size = models.CharField(_("单位规模"), max_length=10, choices=EmployerSize.choices, blank=True)
    website = models.URLField(_("网站"), blank=True)
    logo = models.FileField(
        _("标志"),
        upload_to="employer-logos/",
        blank=True,
        db_default="",  # rows written by plain SQL (bulk loaders) need not name it
        help_text=_("PNG、JPEG、GIF 或 WebP，最大 256 KB"),
    )
    logo_source_url = models.URLField(
        _("标志来源"),
        max_length=500,
        blank=True,
        db_default="",
        editable=False,
        help_text=_("合作源提供的标志地址（取回一次）"),
    )
    description = models.TextField(_("单位简介"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)

    verification_state = models.CharField(
        _("认证状态"), max_length=10, choices=VerificationState.choices, default=VerificationState.PENDING
    )
    verification_reason = models.TextField(_("审核说明"), blank=True)
    verified_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    is_trusted = models.BooleanField(
        _("可信单位"), default=False, help_text=_("可信单位发布的职位自动通过审核（仍留审核记录）")
    )
    source_centre = models.ForeignKey(
        "regions.TalentCentre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imported_employers",
        verbose_name=_("导入来源中心"),
        help_text=_("由合作人才中心的职位源导入时填写"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("招聘单位")
        verbose_name_plural = _("招聘单位")
        indexes = [
            models.Index(fields=["verification_state", "created_at"]),
            models.Index(Upper("name"), "city", name="employer_name_city_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uscc__isnull=False)
                | models.Q(verification_state__in=[VerificationState.UNMATCHED, VerificationState.REJECTED]),
                name="employer_uscc_unless_unmatched",
                violation_error_message=_("请填写统一社会信用代码"),
            )
        ]
        permissions = [("verify_employer", _("可以认证、驳回或暂停招聘单位"))]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """The constraint above, for forms that do not show the state (it is read-only): a code is required."""
        super().clean()
        if not self.uscc and self.verification_state not in (VerificationState.UNMATCHED, VerificationState.REJECTED):
            raise ValidationError({"uscc": _("请填写统一社会信用代码")})

    @property
    def is_verified(self) -> bool:
        return self.verification_state == VerificationState.VERIFIED


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("管理员")
    RECRUITER = "recruiter", _("招聘专员")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    ACTIVE = "active", _("有效")
    DECLINED = "declined", _("已拒绝")


class Membership(models.Model):
    """A recruiter acting for an employer; the organisation's owner approves those who ask to join."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.RECRUITER)
    status = models.CharField(
        _("状态"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        constraints = [models.UniqueConstraint(fields=["employer", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.employer}"


class EmployerDecision(models.TextChoices):
    VERIFIED = "verified", _("认证通过")
    REJECTED = "rejected", _("认证未通过")
    SUSPENDED = "suspended", _("暂停")
    MATCHED = "matched", _("匹配合作源单位")


class EmployerReview(models.Model):
    """The audit trail of an employer's verification: who decided what, when and why (``Employer`` keeps the last)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("招聘单位"))
    decision = models.CharField(_("决定"), max_length=10, choices=EmployerDecision.choices)
    previous_state = models.CharField(_("原状态"), max_length=10, choices=VerificationState.choices)
    reason = models.TextField(_("原因"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("单位审核记录")
        verbose_name_plural = _("单位审核记录")
        indexes = [models.Index(fields=["employer", "-at"], name="employerreview_employer_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {self.employer}"


class PendingEmployer(Employer):
    """The verification queue in admin: pending employers, oldest first."""

    class Meta:
        proxy = True
        verbose_name = _("待认证单位")
        verbose_name_plural = _("单位认证队列")
