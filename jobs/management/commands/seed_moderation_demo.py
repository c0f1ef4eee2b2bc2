"""``manage.py seed_moderation_demo``: work for the centre staff on the demo (run after ``seed_demo``).

Per province: two employers waiting for verification (one whose USCC was registered elsewhere), a vacancy edited
after approval (a resubmission with a diff), two new vacancies waiting for review, and two open reports from the
demo graduate. Everything goes through the services, so the audit trail looks real. Running it again changes
nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from employers.models import Employer, Ownership
from employers.uscc import make_uscc
from jobs.models import JobPosting, JobReview, JobStatus, Report, ReportReason, ReviewDecision
from jobs.services import approved_snapshot, job_create, job_submit, job_update
from regions.models import City, Province

MARK = "MD"  # serials of the demo's pending employers start with this
NEW_EMPLOYERS = [
    ("新锐智能装备有限公司", Ownership.PRIVATE, "C"),
    ("数联信息科技有限公司", Ownership.PRIVATE, "I"),
]
NEW_JOBS = [
    ("仓储物流专员", "负责仓库出入库管理和库存盘点，熟练使用办公软件。五险一金，包住宿。", 5000, 7000),
    ("销售代表（应届生）", "开拓区域客户，维护客户关系。底薪加提成，入职即缴社保，有带薪培训。", 6000, 10000),
]
REPORTS = [
    (ReportReason.FRAUD, "面试时要求先交500元培训费和服装押金。"),
    (ReportReason.DISCRIMINATION, "电话沟通时说只招男性，35岁以下。"),
]


class Command(BaseCommand):
    help = "Add verification, review and report queues for each province to the demo (idempotent)."

    def handle(self, *args, **options):
        if Employer.objects.filter(uscc__regex=rf"^..\d{{6}}{MARK}").exists():
            self.stdout.write("The moderation demo data already exists; nothing to do.")
            return
        graduate = User.objects.filter(email="graduate@demo.talent.cn").first()
        if graduate is None or not JobPosting.objects.filter(status=JobStatus.PUBLISHED).exists():
            raise CommandError("Run `manage.py seed_demo` first.")
        with transaction.atomic():
            for index, province in enumerate(Province.objects.order_by("code")):
                self._province(province, index, graduate)
        self.stdout.write(self.style.SUCCESS("Moderation queues added for each province."))

    def _province(self, province: Province, index: int, graduate: User) -> None:
        cities = list(City.objects.filter(province=province).order_by("code")[:3])
        elsewhere = City.objects.exclude(province=province).order_by("code").first()
        for number, (suffix, ownership, industry) in enumerate(NEW_EMPLOYERS):
            city = cities[number % len(cities)]
            registered = elsewhere if number == 1 else city  # the second one's code says another province
            Employer.objects.create(
                name=f"{city.name}{suffix}",
                uscc=make_uscc(division=registered.code, serial=f"{MARK}{index:02d}{number:05d}"),
                ownership=ownership,
                industry_id=industry,
                city=city,
                contact_name="张经理",
                contact_phone="0512-6666888" + str(number),
                contact_email=f"hr{index}{number}@pending-demo.example.cn",
                description="申请认证中的演示单位。",
                verification_state="pending",
            )
        published = list(
            JobPosting.objects.filter(status=JobStatus.PUBLISHED, city__province=province, employer__is_trusted=False)
            .select_related("employer", "city__province", "industry")
            .order_by("id")[:4]
        )
        edited = published[0]
        # The demo's vacancies were published by seed_demo without a review; record the approval the edit departs
        # from, so the queue can show what changed.
        JobReview.objects.create(
            job=edited,
            decision=ReviewDecision.APPROVED,
            reason="演示数据：初次发布",
            snapshot=approved_snapshot(edited),
        )
        job_update(
            job=edited,
            by=None,
            salary_min=(edited.salary_min or 6000) + 2000,
            salary_max=(edited.salary_max or 9000) + 3000,
            title=f"{edited.title}（急聘）",
        )
        employer = published[1].employer
        for title, description, low, high in NEW_JOBS:
            job = job_create(
                employer=employer,
                by=None,
                title=title,
                description=description,
                city=employer.city,
                industry=employer.industry,
                salary_min=low,
                salary_max=high,
                headcount=3,
            )
            job_submit(job=job, by=None)
        for job, (reason, details) in zip(published[2:], REPORTS, strict=True):
            # Created directly: one demo graduate files all eight, past the per-user rate limit of report_create.
            Report.objects.create(job=job, reporter=graduate, reason=reason, details=details)
