"""The shared vacancy catalogue (JobPosting) and graduates' applications."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat, Left
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .parsing import format_salary


class Education(models.IntegerChoices):
    """Ordered: a filter for 本科 shows vacancies asking 本科 or less."""

    ANY = 0, _("不限")
    HIGH_SCHOOL = 1, _("高中/中专")
    ASSOCIATE = 2, _("大专")
    BACHELOR = 3, _("本科")
    MASTER = 4, _("硕士")
    DOCTOR = 5, _("博士")


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("全职")
    INTERNSHIP = "internship", _("实习")
    PART_TIME = "part_time", _("兼职")
    CAMPUS = "campus", _("校园招聘")
    # As partners' schema.org feeds say them (CONTRACTOR, TEMPORARY, PER_DIEM, VOLUNTEER, OTHER): kept as what they
    # are, never folded into full- or part-time.
    CONTRACTOR = "contractor", _("劳务/外包")
    TEMPORARY = "temporary", _("临时")
    PER_DIEM = "per_diem", _("日结")
    VOLUNTEER = "volunteer", _("志愿者")
    OTHER = "other", _("其他")


class Experience(models.IntegerChoices):
    """Minimum years of experience asked for."""

    ANY = 0, _("经验不限")
    ONE = 1, _("1年以上")
    THREE = 3, _("3年以上")
    FIVE = 5, _("5年以上")
    TEN = 10, _("10年以上")


class JobStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已发布")
    REJECTED = "rejected", _("未通过")
    CLOSED = "closed", _("已关闭")
    EXPIRED = "expired", _("已过期")


class JobPostingQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: published, still valid, from a verified or centre-imported employer.

        The employer's side of the rule is read from ``employer_public``, which the database keeps equal to
        ``Employer.objects.public()`` membership, so the search needs no join.
        """
        return self.filter(
            Q(valid_through__isnull=True) | Q(valid_through__gte=timezone.now()),
            status=JobStatus.PUBLISHED,
            employer_public=True,
        )

    def with_page(self):
        """Vacancies that have a public page: open ones, and once-public ones that have since closed, expired or
        been taken down (their page says so) — of employers the public may see. Drafts, vacancies in review and
        ones never published have none; neither has anything of a suspended employer. The detail page, and the
        forms posted from it (apply, save, report), find their vacancy here; whether it can still be applied to
        or saved is ``published()``'s, in the services."""
        return self.filter(
            Q(status__in=[JobStatus.PUBLISHED, JobStatus.CLOSED, JobStatus.EXPIRED])
            | Q(status=JobStatus.REJECTED, published_at__isnull=False),
            employer_public=True,
        )

    def in_province(self, province_code: str):
        return self.filter(city__province_id=province_code)

    def moderated_in(self, province_code: str):
        """What a province's staff review and act on: the vacancies placed in the province — except a partner
        feed's vacancy waiting for review (held because the feed does not speak for its employer), which the
        employer's own province decides, wherever the vacancy is placed."""
        held = Q(status=JobStatus.PENDING, source__isnull=False)
        return self.filter(
            (Q(city__province_id=province_code) & ~held) | (held & Q(employer__city__province_id=province_code))
        )

    def with_related(self):
        return self.select_related("employer", "city__province", "industry")


class JobPosting(models.Model):
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("招聘单位"),
        db_index=False,  # job_employer_status_idx (employer, status) serves every lookup by employer
    )
    title = models.CharField(_("职位名称"), max_length=200)
    description = models.TextField(_("职位描述"), blank=True)
    city = models.ForeignKey("regions.City", on_delete=models.PROTECT, related_name="jobs", verbose_name=_("工作地点"))
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    industry = models.ForeignKey(
        "employers.Industry", on_delete=models.PROTECT, related_name="jobs", verbose_name=_("行业")
    )
    category = models.CharField(_("职位类别"), max_length=50, blank=True)
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("以空格分隔，如：五险一金 年终奖"))
    employment_type = models.CharField(
        _("工作性质"), max_length=12, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    education = models.PositiveSmallIntegerField(_("学历要求"), choices=Education.choices, default=Education.ANY)
    experience = models.PositiveSmallIntegerField(_("经验要求"), choices=Experience.choices, default=Experience.ANY)
    # As a partner feed wrote it ("1-3年"), shown beside the step it was filed under; empty for postings made here.
    experience_text = models.CharField(_("经验要求原文"), max_length=50, blank=True, default="", db_default="")
    headcount = models.PositiveIntegerField(_("招聘人数"), default=1)

    salary_min = models.PositiveIntegerField(_("月薪下限（元）"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("月薪上限（元）"), null=True, blank=True)
    salary_months = models.PositiveSmallIntegerField(_("每年薪资月数"), default=12)
    salary_negotiable = models.BooleanField(_("薪资面议"), default=False)
    salary_text = models.CharField(_("薪资原文"), max_length=100, blank=True)
    salary_unparsed = models.BooleanField(
        _("薪资无法解析"), default=False, help_text=_("原文无法解析为结构化薪资，仅显示原文")
    )

    fresh_graduate = models.BooleanField(_("应届生可投"), default=False)
    cohort = models.PositiveSmallIntegerField(
        _("毕业届别"), null=True, blank=True, help_text=_("如 2026 表示 2026届毕业生")
    )

    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.DRAFT)
    rejection_reason = models.TextField(_("未通过原因"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    valid_through = models.DateTimeField(_("有效期至"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    fair = models.ForeignKey(
        "fairs.Fair",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("招聘会"),
        help_text=_("在该招聘会上提供的职位"),
    )

    # Provenance: NULL source = posted by the employer on this site.
    source = models.ForeignKey(
        "regions.TalentCentre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imported_jobs",
        verbose_name=_("来源中心"),
    )
    external_id = models.CharField(_("来源编号"), max_length=100, blank=True)
    original_url = models.URLField(
        _("原始职位链接"),
        max_length=500,
        blank=True,
        default="",
        db_default="",  # rows written by plain SQL (bulk writers, other tools) need not name it
        help_text=_("合作方网站上的这则职位（来自职位源）"),
    )
    direct_apply = models.BooleanField(
        _("可在原网站直接申请"),
        null=True,
        blank=True,
        help_text=_("合作方的 directApply：原始链接的页面上能否直接申请（未说明则为空）"),
    )
    remote = models.BooleanField(
        _("可远程办公"),
        default=False,
        db_default=False,
        help_text=_("远程职位的工作地点是面向的省市，或单位所在地"),
    )
    content_hash = models.CharField(_("内容摘要"), max_length=64, blank=True)
    # The valid_through the employer was last reminded of (once per validity period; renewing allows another).
    expiry_reminded_for = models.DateTimeField(_("到期提醒已发送（对应有效期）"), null=True, blank=True, editable=False)

    search_vector = SearchVectorField(null=True, editable=False)
    # Copies of the employer's public state and ownership for the search, which then reads one table. Database
    # triggers (migration 0008) set them on every insert or change of employer and follow every change of the
    # employer, whatever wrote it (services, admin, feed imports, bulk SQL); Python never writes them.
    employer_public = models.BooleanField(_("单位公开"), default=False, editable=False)
    employer_ownership = models.CharField(_("单位性质"), max_length=10, blank=True, editable=False)
    # The province's GB/T 2260 code, derived from the city's (320500 → 320000) by PostgreSQL on every write: the
    # search filters a province on the vacancy's own column, with its own statistics and no join.
    province_code = models.GeneratedField(
        expression=Concat(Left("city_id", 2), Value("0000")),
        output_field=models.CharField(max_length=6),
        db_persist=True,
        verbose_name=_("省份代码"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    objects = JobPostingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("职位")
        verbose_name_plural = _("职位")
        indexes = [
            GinIndex(fields=["search_vector"], name="job_search_gin"),
            models.Index(fields=["status", "-published_at"], name="job_status_published_idx"),
            models.Index(fields=["employer", "status"], name="job_employer_status_idx"),
            # "薪资最高" sort: walk the open vacancies by what they pay at most, newest first among equals.
            models.Index(
                Coalesce("salary_max", "salary_min").desc(nulls_last=True),
                models.F("published_at").desc(),
                name="job_salary_sort_idx",
                condition=Q(status="published"),
            ),
            # For the expiry job and the reminders ("past due", "due within 3 days"). Rows without a date are left out
            # so that the public "still valid" (no date, or a date not yet past) cannot use it: the planner otherwise
            # AND-ed a bitmap of every valid vacancy (760k entries, 160 ms) into the search index's matches.
            models.Index(
                fields=["valid_through"],
                condition=Q(status="published", valid_through__isnull=False),
                name="job_published_due_idx",
            ),
            # The default ordering (admin's catalogue list): newest first without sorting the whole table.
            models.Index(fields=["-published_at", "-id"], name="job_published_at_id_idx"),
            # The public catalogue newest first (search page, API): only what the public may see, so the walk never
            # steps over closed, pending or hidden rows.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published", employer_public=True),
                name="job_public_newest_idx",
            ),
        ]
        permissions = [("review_jobposting", _("可以审核、驳回或下架职位"))]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="job_unique_source_external_id",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="job_salary_min_lte_max",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def salary_display(self) -> str:
        if self.salary_negotiable:
            return str(_("面议"))
        if self.salary_min is None and self.salary_max is None:
            return self.salary_text or str(_("面议"))
        return format_salary(self.salary_min, self.salary_max, self.salary_months, False)

    @property
    def is_open(self) -> bool:
        return self.status == JobStatus.PUBLISHED and (
            self.valid_through is None or self.valid_through >= timezone.now()
        )


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已投递")
    VIEWED = "viewed", _("已查看")
    INTERVIEW = "interview", _("邀请面试")
    OFFER = "offer", _("已录用")
    REJECTED = "rejected", _("不合适")
    WITHDRAWN = "withdrawn", _("已撤回")


class ApplicationSource(models.TextChoices):
    ONLINE = "online", _("网上申请")
    FAIR = "fair", _("招聘会现场")


class Application(models.Model):
    job = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="applications", verbose_name=_("职位"))
    graduate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications", verbose_name=_("求职者")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    cover_note = models.TextField(_("附言"), blank=True, max_length=2000)
    source = models.CharField(
        _("投递方式"), max_length=10, choices=ApplicationSource.choices, default=ApplicationSource.ONLINE
    )
    # The fair the application was made at or through (its booth, or its guide); its report counts these.
    fair = models.ForeignKey(
        "fairs.Fair",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("招聘会"),
    )
    created_at = models.DateTimeField(_("投递时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("职位申请")
        verbose_name_plural = _("职位申请")
        constraints = [models.UniqueConstraint(fields=["job", "graduate"], name="application_one_per_graduate")]
        indexes = [models.Index(fields=["job", "-created_at"], name="application_job_created_idx")]

    def __str__(self) -> str:
        return f"{self.graduate} → {self.job}"


class ApplicationEvent(models.Model):
    """One step of an application's status history, visible to the graduate."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("状态"), max_length=10, choices=ApplicationStatus.choices)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("申请进度")
        verbose_name_plural = _("申请进度")

    def __str__(self) -> str:
        return f"{self.get_status_display()} @ {self.at:%Y-%m-%d %H:%M}"


class ReviewDecision(models.TextChoices):
    SUBMITTED = "submitted", _("提交审核")
    APPROVED = "approved", _("审核通过")
    AUTO_APPROVED = "auto_approved", _("可信单位自动通过")
    REJECTED = "rejected", _("审核未通过")
    CHANGES_REQUESTED = "changes_requested", _("要求修改")
    RESUBMITTED = "resubmitted", _("修改后重新审核")
    UNPUBLISHED = "unpublished", _("下架")
    CLOSED = "closed", _("关闭")
    RENEWED = "renewed", _("续期")
    EXPIRED = "expired", _("过期")


class JobReview(models.Model):
    """The audit trail of a vacancy's lifecycle: who decided what, when and why.

    An approval stores a snapshot of the approved fields, so a resubmission can show what changed since.
    """

    job = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("职位"))
    decision = models.CharField(_("决定"), max_length=20, choices=ReviewDecision.choices)
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
    snapshot = models.JSONField(_("通过时的内容"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        indexes = [models.Index(fields=["job", "-at"], name="jobreview_job_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {self.job}"


class PendingJob(JobPosting):
    """The review queue in admin: pending vacancies, oldest first."""

    class Meta:
        proxy = True
        verbose_name = _("待审核职位")
        verbose_name_plural = _("职位审核队列")


class ReportReason(models.TextChoices):
    FRAUD = "fraud", _("虚假招聘/诈骗")
    DISCRIMINATION = "discrimination", _("就业歧视")
    WRONG_INFORMATION = "wrong_info", _("信息不实")
    EXPIRED = "expired", _("职位已招满或过期")
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已处理")
    DISMISSED = "dismissed", _("不予处理")


class Report(models.Model):
    """A logged-in user's report of a bad vacancy; centre staff resolve it (possibly unpublishing the vacancy)."""

    job = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="reports", verbose_name=_("职位"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="job_reports",
        verbose_name=_("举报人"),
    )
    reason = models.CharField(_("举报原因"), max_length=20, choices=ReportReason.choices)
    details = models.TextField(_("详细说明"), blank=True, max_length=2000)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    resolution = models.TextField(_("处理说明"), blank=True)
    job_unpublished = models.BooleanField(_("已下架职位"), default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("职位举报")
        verbose_name_plural = _("职位举报")
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_created_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "reporter"], condition=Q(status="open"), name="report_one_open_per_reporter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.job}"


class SavedJob(models.Model):
    """A vacancy a graduate bookmarked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_jobs")
    job = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="saved_by", verbose_name=_("职位"))
    created_at = models.DateTimeField(_("收藏时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("收藏的职位")
        verbose_name_plural = _("收藏的职位")
        constraints = [models.UniqueConstraint(fields=["user", "job"], name="savedjob_unique_user_job")]

    def __str__(self) -> str:
        return f"{self.user} ☆ {self.job}"


class AlertFrequency(models.TextChoices):
    DAILY = "daily", _("每天汇总")
    INSTANT = "instant", _("有新职位立即通知")


class SavedSearch(models.Model):
    """The search page's GET parameters, and the high-water mark of the vacancies already mailed.

    ``last_seen_at`` is the mark: an alert covers vacancies published after it (up to a little before the run, so a
    vacancy approved in a transaction still in flight is not skipped), then moves it forward. Each match is mailed
    at most once.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("名称"), max_length=100)
    querystring = models.CharField(_("搜索条件"), max_length=1000)
    frequency = models.CharField(
        _("提醒频率"), max_length=10, choices=AlertFrequency.choices, default=AlertFrequency.DAILY
    )
    is_active = models.BooleanField(_("接收提醒"), default=True)
    last_seen_at = models.DateTimeField(_("已提醒至"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("上次发送"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("保存的搜索")
        verbose_name_plural = _("保存的搜索")
        constraints = [
            models.UniqueConstraint(fields=["user", "querystring"], name="savedsearch_unique_user_query"),
        ]
        indexes = [models.Index(fields=["frequency", "is_active"], name="savedsearch_due_idx")]

    def __str__(self) -> str:
        return self.name


class VacancyEventKind(models.TextChoices):
    CREATED = "created", _("首次公开")
    CHANGED = "changed", _("内容更新")
    CLOSED = "closed", _("已关闭")
    EXPIRED = "expired", _("已过期")
    HIDDEN = "hidden", _("不再公开")  # taken down, back in review, or its employer suspended
    SHOWN = "shown", _("重新公开")  # renewed, reinstated, approved again


class VacancyEvent(models.Model):
    """The outbox: one row for every change to what the public sees of a vacancy, written in the same transaction
    as the change by database triggers on the vacancy table (migration ``jobs.0018``) — so services, admin, the
    feed importer's bulk SQL, COPY and the employer triggers' cascades all write it alike.

    ``seq`` is given afterwards, in commit order, by ``jobs.events.events_sequence`` (a transaction that commits
    later never gets a smaller number than one a reader has already seen), and is what ``/api/v1/changes/`` pages on.
    """

    id = models.BigAutoField(primary_key=True)
    seq = models.BigIntegerField(_("序号"), null=True, unique=True)
    job = models.ForeignKey(
        JobPosting, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("职位")
    )
    kind = models.CharField(_("变化"), max_length=10, choices=VacancyEventKind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("职位变化事件")
        verbose_name_plural = _("职位变化事件")
        indexes = [models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="vacancy_event_unsequenced")]

    def __str__(self) -> str:
        return f"{self.seq or '-'} {self.kind} {self.job_id}"


class EventCursor(models.Model):
    """How far one consumer of the outbox (instant alerts, …) has read: ``jobs.events.events_follow`` moves it in
    the transaction that handles the events, so each event is handled once."""

    name = models.CharField(_("读取方"), max_length=50, primary_key=True)
    seq = models.BigIntegerField(_("已读至序号"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("事件读取进度")
        verbose_name_plural = _("事件读取进度")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seq}"
