"""Partner centres' vacancy feeds: the sources we pull, every sync run, every rejected record, and provenance.

Provenance: ``JobPosting.source`` / ``external_id`` / ``content_hash`` hold the *primary* provenance (the feed that
first brought the vacancy; ``external_id`` is namespaced ``<feed source id>/<record id>`` so two feeds of one centre
never collide on the catalogue's unique constraint). ``FeedRecord`` holds *every* provenance: the same real vacancy
published by two centres is one ``JobPosting`` with two ``FeedRecord`` rows.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from employers.models import Employer


class FeedFormat(models.TextChoices):
    JSONLD = "jsonld", _("schema.org JobPosting（JSON-LD）")
    XML = "xml", _("XML（本平台格式）")
    CSV = "csv", _("CSV（中文表头）")


class FeedEncoding(models.TextChoices):
    AUTO = "auto", _("自动识别")
    UTF8 = "utf-8", _("UTF-8")
    GBK = "gbk", _("GBK")


class FeedSourceQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(enabled=True).filter(models.Q(next_sync_at__isnull=True) | models.Q(next_sync_at__lte=now))


class FeedTrust(models.TextChoices):
    REVIEW = "review", _("全部审核：每个新职位都先经审核")
    OWN_PROVINCE = "own_province", _("本省自有单位直接发布，其余审核")
    TRUSTED = "trusted", _("可信：全部直接发布")


class FeedSource(models.Model):
    centre = models.ForeignKey(
        "regions.TalentCentre", on_delete=models.PROTECT, related_name="feed_sources", verbose_name=_("合作人才中心")
    )
    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(_("标识"), max_length=50, unique=True, help_text=_("命令行导入时用 --source 指定"))
    url = models.URLField(
        _("职位源地址"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("仅限 http/https"),
    )
    format = models.CharField(_("格式"), max_length=10, choices=FeedFormat.choices, default=FeedFormat.JSONLD)
    encoding = models.CharField(_("字符编码"), max_length=10, choices=FeedEncoding.choices, default=FeedEncoding.AUTO)
    auth_header_name = models.CharField(
        _("认证请求头名称"),
        max_length=100,
        blank=True,
        help_text=_("合作方接口要求的请求头，如 X-Api-Key；不需要则留空"),
    )
    auth_header_value = models.CharField(_("认证请求头取值"), max_length=500, blank=True)
    interval_minutes = models.PositiveIntegerField(
        _("同步间隔（分钟）"), default=60, validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)]
    )
    enabled = models.BooleanField(_("启用"), default=True)
    max_close_share = models.DecimalField(
        _("单次最多关闭比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),  # a Decimal: the float 0.30 is 0.2999… and fails the field's own validation
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("一次同步将关闭的在招职位超过该比例时暂不生效，等待工作人员确认（0.30 = 30%）"),
    )
    trust = models.CharField(
        _("信任级别"),
        max_length=15,
        choices=FeedTrust.choices,
        default=FeedTrust.OWN_PROVINCE,
        help_text=_(
            "默认：只有本中心所在省份、由本职位源引入或由工作人员关联的单位，其新职位直接发布；"
            "以其他单位名义提交的职位进入该单位所在地的审核队列，并通知该单位"
        ),
    )
    represented_employers = models.ManyToManyField(
        "employers.Employer",
        blank=True,
        related_name="feed_sources",
        verbose_name=_("代为发布的单位"),
        help_text=_("该职位源可直接为其发布职位的已登记单位（本省单位）"),
    )
    default_industry = models.ForeignKey(
        "employers.Industry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("默认行业"),
        help_text=_("记录未给出行业、单位也尚未登记时使用；留空则用“租赁和商务服务业”（含人力资源服务）"),
    )
    etag = models.CharField(_("ETag"), max_length=200, blank=True, editable=False)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, editable=False)
    next_sync_at = models.DateTimeField(_("下次同步时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = FeedSourceQuerySet.as_manager()

    class Meta:
        ordering = ["centre", "name"]
        verbose_name = _("职位源")
        verbose_name_plural = _("职位源")

    def __str__(self) -> str:
        return self.name

    def schedule_next(self, now=None):
        return (now or timezone.now()) + timedelta(minutes=self.interval_minutes)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("同步中")
    SUCCESS = "success", _("成功")
    NOT_MODIFIED = "not_modified", _("未变化")
    HELD = "held", _("待确认")
    APPLIED = "applied", _("已确认生效")
    FAILED = "failed", _("失败")
    SKIPPED = "skipped", _("已跳过")


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("定时")
    MANUAL = "manual", _("立即同步")
    APPLY = "apply", _("确认待定同步")
    COMMAND = "command", _("命令行")


class SyncRunQuerySet(models.QuerySet):
    def finished(self):
        return self.exclude(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])


class SyncRun(models.Model):
    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="runs", verbose_name=_("职位源"))
    trigger = models.CharField(_("触发方式"), max_length=10, choices=RunTrigger.choices, default=RunTrigger.SCHEDULE)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("发起人")
    )
    applies = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applied_by_runs",
        verbose_name=_("确认的待定同步"),
    )
    status = models.CharField(_("状态"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    trace_id = models.CharField(
        _("追踪编号"),
        max_length=64,
        blank=True,
        help_text=_("发起同步的请求或定时任务的编号；日志中同一编号的记录都属于这次同步"),
    )
    stage = models.CharField(_("当前步骤"), max_length=20, blank=True)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    queued_at = models.DateTimeField(_("排队时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP状态码"), null=True, blank=True)
    bytes_fetched = models.PositiveBigIntegerField(_("下载字节数"), default=0)
    fetched = models.PositiveIntegerField(_("读取记录"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    merged = models.PositiveIntegerField(_("与其他中心合并"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    closed = models.PositiveIntegerField(_("关闭"), default=0)
    held = models.PositiveIntegerField(
        _("待审核"), default=0, help_text=_("等待审核的新职位：以未授权单位名义提交的，或单位待匹配的")
    )
    unmatched = models.PositiveIntegerField(
        _("单位待匹配"),
        default=0,
        help_text=_("其中单位未在平台登记、也没有统一社会信用代码的职位：工作人员匹配或核验单位后按规则发布"),
    )
    rejected = models.PositiveIntegerField(_("拒收"), default=0)
    warnings = models.PositiveIntegerField(_("警告"), default=0)
    would_close = models.PositiveIntegerField(_("将关闭"), default=0, help_text=_("待确认的同步若生效将关闭的职位数"))
    timings = models.JSONField(_("耗时（秒）"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)

    objects = SyncRunQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = pgettext_lazy("singular", "同步记录")
        verbose_name_plural = _("同步记录")
        indexes = [models.Index(fields=["source", "-queued_at"], name="syncrun_source_queued_idx")]

    def __str__(self) -> str:
        return f"{self.source} #{self.pk}"

    @property
    def duration(self) -> timedelta | None:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class IssueSeverity(models.TextChoices):
    REJECTED = "rejected", pgettext_lazy("issue severity", "拒收")
    WARNING = "warning", pgettext_lazy("issue severity", "警告")


class SyncIssue(models.Model):
    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="issues", verbose_name=_("同步记录"))
    severity = models.CharField(_("级别"), max_length=10, choices=IssueSeverity.choices, default=IssueSeverity.REJECTED)
    record_id = models.CharField(_("记录编号"), max_length=200, blank=True)
    line = models.PositiveIntegerField(_("位置"), null=True, blank=True, help_text=_("记录在源文件中的序号或行号"))
    field = models.CharField(_("字段"), max_length=50, blank=True)
    reason = models.TextField(_("原因"))
    value = models.CharField(_("原始值"), max_length=200, blank=True)

    class Meta:
        ordering = ["run", "id"]
        verbose_name = pgettext_lazy("singular", "同步问题")
        verbose_name_plural = _("同步问题")

    def __str__(self) -> str:
        return f"{self.record_id or self.line}: {self.reason}"


class FeedRecord(models.Model):
    """One provenance of a catalogue vacancy: this source lists it under this id.

    ``active`` records are exactly the ids of the source's last applied snapshot (missing ones are deactivated when
    a complete sync succeeds), so "last seen" for an active record is the source's last successful run.
    ``content_hash`` is the hash of the raw record as the partner sent it (plus the pipeline version), so an
    unchanged record is recognised before any normalisation work.
    """

    source = models.ForeignKey(
        FeedSource,
        on_delete=models.CASCADE,
        related_name="records",
        verbose_name=_("职位源"),
        db_index=False,  # feedrecord_unique_source_id (source, external_id) serves every lookup by source
    )
    external_id = models.CharField(_("来源编号"), max_length=100)
    job = models.ForeignKey(
        "jobs.JobPosting", on_delete=models.CASCADE, related_name="feed_records", verbose_name=_("职位")
    )
    content_hash = models.CharField(_("内容摘要"), max_length=32)
    match_key = models.CharField(_("合并键"), max_length=32, db_index=True)
    active = models.BooleanField(_("在源中"), default=True)
    first_seen_at = models.DateTimeField(_("首次出现"), default=timezone.now)
    changed_at = models.DateTimeField(_("最近变化"), default=timezone.now)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("职位来源")
        verbose_name_plural = _("职位来源")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="feedrecord_unique_source_id")]

    def __str__(self) -> str:
        return f"{self.source_id}/{self.external_id}"


class EmployerAlias(models.Model):
    """What staff decided about an employer a source names without a USCC: this source's "name" (normalised, as
    ``feeds.normalise.normalise_name``) is this employer. Later syncs of the source follow it, and it is the record
    of who matched it and when."""

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("职位源"))
    name_key = models.CharField(_("源中的单位名称（规范化）"), max_length=200)
    name = models.CharField(_("源中的单位名称"), max_length=200)
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="feed_aliases", verbose_name=_("平台单位")
    )
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("匹配人")
    )
    at = models.DateTimeField(_("匹配时间"), default=timezone.now)

    class Meta:
        verbose_name = _("合作源单位名称")
        verbose_name_plural = _("合作源单位名称")
        constraints = [models.UniqueConstraint(fields=["source", "name_key"], name="employeralias_unique_source_name")]

    def __str__(self) -> str:
        return f"{self.name} → {self.employer_id}"


class UnmatchedEmployer(Employer):
    """The match queue: employers a partner feed named without a USCC that match no registered one."""

    class Meta:
        proxy = True
        verbose_name = _("待匹配单位")
        verbose_name_plural = _("待匹配单位")
