"""Users log in with their e-mail address; centre staff belong to a talent centre and so to a province."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("电子邮箱"), unique=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    is_staff = models.BooleanField(_("管理后台权限"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)
    centre = models.ForeignKey(
        "regions.TalentCentre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("所属人才中心"),
        help_text=_("中心工作人员在后台只能看到本省的数据"),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email.split("@")[0]


def resume_storage():
    """Résumés live in the private "resumes" storage (settings.STORAGES), never in public media."""
    from django.core.files.storage import storages

    return storages["resumes"]


class Degree(models.IntegerChoices):
    """The graduate's own degree; same scale as a vacancy's education requirement (jobs.models.Education)."""

    HIGH_SCHOOL = 1, _("高中/中专")
    ASSOCIATE = 2, _("大专")
    BACHELOR = 3, _("本科")
    MASTER = 4, _("硕士")
    DOCTOR = 5, _("博士")


OTHER_PROVINCE = "other"


class GraduateProfile(models.Model):
    """A job seeker's profile and résumé. Written only through accounts.services."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile", verbose_name=_("用户"))
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    school = models.CharField(_("毕业院校"), max_length=100, blank=True)
    major = models.CharField(_("专业"), max_length=100, blank=True)
    degree = models.PositiveSmallIntegerField(_("学历"), choices=Degree.choices, null=True, blank=True)
    cohort = models.PositiveSmallIntegerField(_("毕业届别"), null=True, blank=True, help_text=_("如 2026 表示 2026届"))
    # A province's GB/T 2260 code, or OTHER_PROVINCE for a school outside the four regions; blank = not said.
    study_province = models.CharField(_("院校所在省份"), max_length=6, blank=True)
    resume = models.FileField(_("简历"), storage=resume_storage, max_length=200, blank=True)
    resume_filename = models.CharField(_("简历原文件名"), max_length=200, blank=True)
    resume_size = models.PositiveIntegerField(_("简历大小（字节）"), null=True, blank=True)
    resume_uploaded_at = models.DateTimeField(_("简历上传时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("求职者资料")
        verbose_name_plural = _("求职者资料")

    def __str__(self) -> str:
        return self.name or str(self.user)

    @property
    def has_resume(self) -> bool:
        return bool(self.resume)

    @property
    def cohort_display(self) -> str:
        return _("%(year)s届") % {"year": self.cohort} if self.cohort else ""
