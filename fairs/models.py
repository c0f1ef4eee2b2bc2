"""Joint job fairs (长三角地区人才交流洽谈会): organisers, the venue's zones and booths, exhibiting employers,
registered graduates with their e-tickets, and the audit trail of every decision.

Written only through ``fairs.services``; the transitions, windows and limits live there.
"""

from datetime import datetime, time

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import english


class FairState(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    EMPLOYER_OPEN = "employer_open", _("单位报名中")
    GRADUATE_OPEN = "graduate_open", _("求职者报名中")
    IN_PROGRESS = "in_progress", _("进行中")
    FINISHED = "finished", _("已结束")


class FairQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-starts_on", "-edition")

    def listed(self):
        """What the public site lists: every fair past its preparation."""
        return self.exclude(state=FairState.DRAFT)


class Fair(models.Model):
    name = models.CharField(_("名称"), max_length=200)
    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    edition = models.PositiveSmallIntegerField(_("届次"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=FairState.choices, default=FairState.DRAFT)
    host_centre = models.ForeignKey(
        "regions.TalentCentre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_fairs",
        verbose_name=_("主责中心"),
        help_text=_("该中心的工作人员可管理本届招聘会的全部参展单位"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    opens_at = models.TimeField(_("每日开放时间"), default=time(9, 0))
    closes_at = models.TimeField(_("每日结束时间"), default=time(16, 0))
    venue = models.CharField(_("场馆"), max_length=200)
    address = models.CharField(_("场馆地址"), max_length=200, blank=True)
    city = models.ForeignKey("regions.City", on_delete=models.PROTECT, related_name="fairs", verbose_name=_("城市"))
    description = models.TextField(_("简介"), blank=True)

    employer_registration_opens = models.DateTimeField(_("单位报名开始"), null=True, blank=True)
    employer_registration_closes = models.DateTimeField(_("单位报名截止"), null=True, blank=True)
    graduate_registration_opens = models.DateTimeField(_("求职者报名开始"), null=True, blank=True)
    graduate_registration_closes = models.DateTimeField(_("求职者报名截止"), null=True, blank=True)
    graduate_capacity = models.PositiveIntegerField(
        _("求职者名额"), null=True, blank=True, help_text=_("留空表示不限；名额满后报名进入候补")
    )
    # Qualifications a graduate's profile must meet to register (each optional).
    cohorts = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("限毕业届别"),
        default=list,
        blank=True,
        help_text=_("如 2026,2027；留空表示不限"),
    )
    min_education = models.PositiveSmallIntegerField(
        _("最低学历"),
        null=True,
        blank=True,
        choices=[(1, _("高中/中专")), (2, _("大专")), (3, _("本科")), (4, _("硕士")), (5, _("博士"))],
    )
    study_provinces = models.ManyToManyField(
        "regions.Province",
        blank=True,
        related_name="+",
        verbose_name=_("限院校所在省份"),
        help_text=_("留空表示不限"),
    )
    exhibitors_published = models.BooleanField(
        _("已公布参展单位与展位图"), default=False, editable=False, help_text=_("通过“公布参展单位”操作设置")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = FairQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("招聘会")
        verbose_name_plural = _("招聘会")
        permissions = [("run_fair", _("可以管理招聘会的状态、展位与签到"))]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="fair_ends_after_start"),
            models.CheckConstraint(
                condition=Q(employer_registration_closes__isnull=True)
                | Q(employer_registration_opens__isnull=True)
                | Q(employer_registration_closes__gt=models.F("employer_registration_opens")),
                name="fair_employer_window_order",
            ),
            models.CheckConstraint(
                condition=Q(graduate_registration_closes__isnull=True)
                | Q(graduate_registration_opens__isnull=True)
                | Q(graduate_registration_closes__gt=models.F("graduate_registration_opens")),
                name="fair_graduate_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.state == FairState.FINISHED

    @property
    def doors_open_at(self) -> datetime:
        """The moment the doors open on the first day (Asia/Shanghai)."""
        return timezone.make_aware(datetime.combine(self.starts_on, self.opens_at))


class OrganiserRole(models.TextChoices):
    HOST = "host", _("主办")
    ORGANISER = "organiser", _("承办")
    SUPPORTER = "supporter", _("协办")


class FairOrganiser(models.Model):
    """One organisation behind a fair in its role. ``centre`` ties a partner talent centre to the fair: its staff
    act on the fair's exhibitors from their own province."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="organisers", verbose_name=_("招聘会"))
    role = models.CharField(_("角色"), max_length=10, choices=OrganiserRole.choices)
    name = models.CharField(_("单位名称"), max_length=100)
    centre = models.ForeignKey(
        "regions.TalentCentre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fair_roles",
        verbose_name=_("对应人才中心"),
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["fair", "role", "position", "id"]
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        constraints = [models.UniqueConstraint(fields=["fair", "role", "name"], name="fairorganiser_unique_name")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.name}"


class Zone(models.Model):
    """A hall or area of the venue, usually by industry (A馆 智能制造)."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="zones", verbose_name=_("招聘会"))
    code = models.CharField(_("编号"), max_length=10)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名"), max_length=100, blank=True)
    industries = models.ManyToManyField(
        "employers.Industry", blank=True, related_name="+", verbose_name=_("面向行业"), help_text=_("分配展位时优先")
    )

    class Meta:
        ordering = ["fair", "code"]
        verbose_name = _("展区")
        verbose_name_plural = _("展区")
        constraints = [models.UniqueConstraint(fields=["fair", "code"], name="zone_unique_code")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """``B 信息技术`` (``B Information technology`` on the English site); a name that already says its code
        (``A馆``, ``Hall A``) is shown alone."""
        name = self.name_en if english() and self.name_en else self.name
        return name if name.startswith(self.code) or name.endswith(f" {self.code}") else f"{self.code} {name}"


class BoothSize(models.TextChoices):
    STANDARD = "standard", _("标准展位（3×3米）")
    DOUBLE = "double", _("双展位（3×6米）")
    SPECIAL = "special", _("特装展位")


class Booth(models.Model):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="booths", verbose_name=_("招聘会"))
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="booths", verbose_name=_("展区"))
    code = models.CharField(_("展位号"), max_length=20)
    size = models.CharField(_("规格"), max_length=10, choices=BoothSize.choices, default=BoothSize.STANDARD)

    class Meta:
        ordering = ["fair", "code"]
        verbose_name = _("展位")
        verbose_name_plural = _("展位")
        constraints = [models.UniqueConstraint(fields=["fair", "code"], name="booth_unique_code")]

    def __str__(self) -> str:
        return self.code


class ExhibitorStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class ParticipationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ExhibitorStatus.APPROVED)


class Participation(models.Model):
    """An employer's application to exhibit at a fair and, once approved, its place there: the booth and the
    positions (headcount) it offers, the sum of its ``offers``."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="participations", verbose_name=_("招聘会"))
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="participations", verbose_name=_("招聘单位")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ExhibitorStatus.choices, default=ExhibitorStatus.PENDING
    )
    # One booth, one exhibitor: the unique index of a one-to-one column, whatever writes it.
    booth = models.OneToOneField(
        Booth,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation",
        verbose_name=_("展位"),
    )
    positions = models.PositiveIntegerField(_("招聘岗位数"), default=0, help_text=_("在招聘会上提供的岗位（人数）"))
    zone_preference = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("意向展区")
    )
    representatives = models.TextField(_("参会人员"), blank=True, help_text=_("每行一位：姓名 手机号码"))
    reason = models.TextField(_("审核说明"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["fair", "submitted_at", "id"]
        verbose_name = _("参展单位")
        verbose_name_plural = _("参展单位")
        constraints = [
            models.UniqueConstraint(fields=["fair", "employer"], name="participation_unique_employer"),
            models.CheckConstraint(
                condition=Q(booth__isnull=True) | Q(status="approved"), name="participation_booth_only_approved"
            ),
        ]
        indexes = [models.Index(fields=["fair", "status"], name="participation_fair_status_idx")]

    def __str__(self) -> str:
        return f"{self.employer} @ {self.fair}"

    @property
    def representative_list(self) -> list[str]:
        return [line.strip() for line in self.representatives.splitlines() if line.strip()]


class Offer(models.Model):
    """A vacancy an exhibitor brings to the fair, with the positions it offers there."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="offers", verbose_name=_("参展单位")
    )
    job = models.ForeignKey(
        "jobs.JobPosting", on_delete=models.CASCADE, related_name="fair_offers", verbose_name=_("职位")
    )
    positions = models.PositiveIntegerField(_("招聘人数"))

    class Meta:
        ordering = ["participation", "id"]
        verbose_name = _("参展职位")
        verbose_name_plural = _("参展职位")
        constraints = [
            models.UniqueConstraint(fields=["participation", "job"], name="offer_unique_job"),
            models.CheckConstraint(condition=Q(positions__gte=1), name="offer_positions_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.job} × {self.positions}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WAITLISTED = "waitlisted", _("候补中")
    CANCELLED = "cancelled", _("已取消")


class Registration(models.Model):
    """A graduate's place at a fair (or on its waitlist) and their e-ticket.

    ``code`` is the short ticket code people type; the QR code carries a signed token of the same registration.
    ``queued_at`` orders the waitlist. The graduate's cohort, degree and province of study are copied at
    registration, so the fair's report stays what it was when people came.
    """

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("招聘会"))
    graduate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fair_registrations", verbose_name=_("求职者")
    )
    status = models.CharField(_("状态"), max_length=10, choices=RegistrationStatus.choices)
    code = models.CharField(_("电子票号"), max_length=8, unique=True)
    queued_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    cohort = models.PositiveSmallIntegerField(_("毕业届别"), null=True, blank=True)
    degree = models.PositiveSmallIntegerField(_("学历"), null=True, blank=True)
    study_province = models.CharField(_("院校所在省份"), max_length=6, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        ordering = ["fair", "queued_at", "id"]
        verbose_name = _("求职者报名")
        verbose_name_plural = _("求职者报名")
        constraints = [
            models.UniqueConstraint(fields=["fair", "graduate"], name="registration_one_per_graduate"),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="registered"),
                name="registration_checkin_only_registered",
            ),
        ]
        indexes = [models.Index(fields=["fair", "status", "queued_at"], name="registration_queue_idx")]

    def __str__(self) -> str:
        return f"{self.graduate} @ {self.fair}"

    @property
    def code_display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class Shortlist(models.Model):
    """A booth a graduate means to visit (the fair guide's personal list)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fair_shortlist")
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="shortlisted_by")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "participation"], name="shortlist_unique")]

    def __str__(self) -> str:
        return f"{self.user} ☆ {self.participation}"


class FairAction(models.TextChoices):
    STATE = "state", _("状态变更")
    EXHIBITOR_APPLIED = "exhibitor_applied", _("单位报名")
    EXHIBITOR_APPROVED = "exhibitor_approved", _("参展通过")
    EXHIBITOR_REJECTED = "exhibitor_rejected", _("参展未通过")
    EXHIBITOR_WITHDRAWN = "exhibitor_withdrawn", _("单位撤回报名")
    BOOTH_ASSIGNED = "booth_assigned", _("分配展位")
    BOOTH_RELEASED = "booth_released", _("释放展位")
    PUBLISHED = "published", _("公布参展单位")
    UNPUBLISHED = "unpublished", _("撤回公布")


class FairLog(models.Model):
    """The audit trail of a fair: who changed its state, decided on an exhibitor or moved a booth, when and why."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="log", verbose_name=_("招聘会"))
    action = models.CharField(_("操作"), max_length=24, choices=FairAction.choices)
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, null=True, blank=True, related_name="log", verbose_name=_("参展单位")
    )
    from_value = models.CharField(_("原值"), max_length=40, blank=True)
    to_value = models.CharField(_("新值"), max_length=40, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("招聘会操作记录")
        verbose_name_plural = _("招聘会操作记录")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.fair}"

    @staticmethod
    def _label(value: str) -> str:
        for choices in (FairState, ExhibitorStatus):
            if value in choices.values:
                return str(choices(value).label)
        return value or "—"  # booth codes and free text as they are

    @property
    def from_label(self) -> str:
        return self._label(self.from_value)

    @property
    def to_label(self) -> str:
        return self._label(self.to_value)
