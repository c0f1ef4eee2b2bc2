"""The demo's upcoming fair: the 2027 edition in 南京, hosted by 江苏省人才流动服务中心 and co-organised by the
same centres, open for graduate registration.

Everything here is made the way people would make it, through the services: the host creates the fair and its
plan (zones, booths), opens it step by step, employers of the 2018 demo apply to exhibit with vacancies made for
the fair, each province's staff approve theirs, the host allocates booths and publishes the list, and demo
graduates register. A few applications in every province are left pending for that province's staff to decide.

Deterministic (``random.Random(2027)``) and idempotent: if the fair exists nothing is done.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import profile_update
from employers.models import Employer, Industry
from jobs.models import Education, EmploymentType, JobPosting
from jobs.parsing import parse_salary
from jobs.services import job_approve, job_create, job_submit
from regions.models import City, Province, TalentCentre

from . import demo_data as data
from .demo import DEMO_ACCOUNTS, ensure_organisers
from .models import BoothSize, Fair, Zone
from .services import (
    booths_allocate,
    booths_generate,
    exhibitor_apply,
    exhibitor_approve,
    fair_advance,
    fair_publish_exhibitors,
    fair_save,
    plan_item_save,
    registration_create,
)

SEED = 2027
SLUG = "yrd-2027"
NAME = "第十九届长三角地区人才交流洽谈会暨2027届高校毕业生择业招聘会"
STARTS = date(2027, 3, 20)
ENDS = date(2027, 3, 21)
HOSTS = ["上海市人力资源和社会保障局", "上海市教育委员会", "江苏省人社厅", "浙江省人社厅", "安徽省人社厅"]
ORGANISERS = [
    "江苏省人才流动服务中心",
    "上海市人才服务中心",
    "上海市学生事务中心",
    "浙江省人才市场",
    "安徽省人才服务中心",
    "云南省人才服务中心",
]
SUPPORTERS = ["南京市人才服务中心"]
ZONES = [  # code, name, English name, industries, booths, size
    ("A", "智能制造", "Advanced manufacturing", ["C", "D"], 40, BoothSize.STANDARD),
    ("B", "信息技术", "Information technology", ["I"], 40, BoothSize.STANDARD),
    ("C", "金融与商务服务", "Finance and business services", ["J", "K", "L", "M"], 30, BoothSize.STANDARD),
    (
        "D",
        "教育、卫生与公共服务",
        "Education, health and public services",
        ["N", "O", "P", "Q", "R", "S"],
        30,
        BoothSize.STANDARD,
    ),
    ("E", "综合", "General", [], 20, BoothSize.DOUBLE),
]
APPROVED = {"310000": 24, "320000": 18, "330000": 12, "340000": 6}
PENDING_PER_PROVINCE = 3
GRADUATES = 40
GRADUATE_PASSWORD = "demo-graduate-2027"  # noqa: S105 - public demo password, demo databases only
COHORTS = [2026, 2027]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"


@dataclass(frozen=True)
class UpcomingResult:
    created: bool
    fair: Fair
    approved: int = 0
    pending: int = 0
    graduates: int = 0


def _staff(email: str) -> User:
    return User.objects.get(email=email)


def seed_upcoming_fair(*, now=None) -> UpcomingResult:
    existing = Fair.objects.filter(slug=SLUG).first()
    if existing is not None:
        return UpcomingResult(created=False, fair=existing)
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    host = _staff("staff.js@demo.talent.cn")
    staff_by_province = {
        account.email.split("@")[0].split(".")[1]: _staff(account.email) for account in DEMO_ACCOUNTS if account.centre
    }
    staff_by_province = {
        "310000": staff_by_province["sh"],
        "320000": staff_by_province["js"],
        "330000": staff_by_province["zj"],
        "340000": staff_by_province["ah"],
    }
    with transaction.atomic():
        fair = _create_fair(host=host, now=now)
        exhibitors = _choose_employers(rng)
        recruiter_employer = Employer.objects.filter(memberships__user__email="recruiter@demo.talent.cn").first()
        approved_count = pending_count = 0
        for province, employers in exhibitors.items():
            for index, employer in enumerate(employers):
                participation = _apply(rng, fair=fair, employer=employer, by_staff=staff_by_province[province])
                if index < APPROVED[province] or employer == recruiter_employer:
                    exhibitor_approve(participation=participation, by=staff_by_province[province])
                    approved_count += 1
                else:
                    pending_count += 1
        booths_allocate(fair=fair, by=host)
        fair_publish_exhibitors(fair=fair, by=host)
        fair_advance(fair=fair, by=host, to="graduate_open")
        graduates = _register_graduates(rng, fair=fair)
        _complete_demo_graduate()
    return UpcomingResult(True, fair, approved_count, pending_count, graduates)


def _create_fair(*, host: User, now) -> Fair:
    fair = fair_save(
        fair=Fair(
            name=NAME,
            slug=SLUG,
            edition=19,
            host_centre=TalentCentre.objects.get(slug="js-talent"),
            starts_on=STARTS,
            ends_on=ENDS,
            opens_at=time(9, 0),
            closes_at=time(16, 0),
            venue="南京国际博览中心",
            address="南京市建邺区江东中路300号",
            city=City.objects.get(code="320100"),
            employer_registration_opens=now - timedelta(days=30),
            employer_registration_closes=timezone.make_aware(
                datetime.combine(STARTS - timedelta(days=10), time(17, 0))
            ),
            graduate_registration_opens=now - timedelta(days=7),
            graduate_registration_closes=timezone.make_aware(datetime.combine(ENDS, time(12, 0))),
            graduate_capacity=3000,
            cohorts=COHORTS,
            min_education=Education.ASSOCIATE,
            description=(
                "长三角地区人才交流洽谈会由沪苏浙皖三省一市人力资源和社会保障部门联合主办，2027年在南京举办。"
                "招聘会按行业分设智能制造、信息技术、金融与商务服务、教育卫生与公共服务和综合五个展区，"
                "面向2026届、2027届大专及以上学历高校毕业生。求职者报名后凭电子票入场，可在参展指南中"
                "按展区查看参展单位和职位，现场在展位出示电子票即可投递简历。"
            ),
        ),
        by=host,
    )
    ensure_organisers(fair, hosts=HOSTS, organisers=ORGANISERS, supporters=SUPPORTERS)
    industries = {industry.code: industry for industry in Industry.objects.all()}
    for code, name, name_en, sections, booths, size in ZONES:
        zone = plan_item_save(item=Zone(fair=fair, code=code, name=name, name_en=name_en), by=host)
        zone.industries.set([industries[section] for section in sections])
        booths_generate(zone=zone, by=host, count=booths, size=size)
    fair_advance(fair=fair, by=host, to="employer_open")
    return fair


def _choose_employers(rng: random.Random) -> dict[str, list[Employer]]:
    """The demo recruiter's employer first (so the booth desk can be tried), then a deterministic sample."""
    chosen: dict[str, list[Employer]] = {}
    recruiter_employer = Employer.objects.filter(memberships__user__email="recruiter@demo.talent.cn").first()
    for province, approved in APPROVED.items():
        pool = list(Employer.objects.verified().in_province(province).order_by("uscc"))
        rng.shuffle(pool)
        picked = pool[: approved + PENDING_PER_PROVINCE]
        if recruiter_employer is not None and recruiter_employer.city.province_id == province:
            picked = [recruiter_employer, *[e for e in picked if e != recruiter_employer]][
                : approved + PENDING_PER_PROVINCE
            ]
        chosen[province] = picked
    return chosen


def _apply(rng: random.Random, *, fair: Fair, employer: Employer, by_staff: User):
    """The employer makes two or three vacancies for the fair (reviewed by its province's staff) and applies."""
    families = data.INDUSTRY_FAMILIES.get(employer.industry_id, ["common"])
    pool = [(*title, family) for family in families for title in data.JOB_TITLES[family]]
    offers = []
    for title, category, education, band, family in rng.sample(pool, min(len(pool), rng.randint(2, 3))):
        low, high = band
        salary = parse_salary(f"{low}-{high}元/月")
        headcount = rng.choice([2, 3, 5, 8, 10])
        duties = "\n".join(f"{i}. {duty}；" for i, duty in enumerate(rng.sample(data.DUTIES[family], 3), 1))
        job = job_create(
            employer=employer,
            by=None,
            title=f"{title}（2027届校招）",
            description=f"岗位职责：\n{duties}\n\n任职要求：\n1. 2026届或2027届高校毕业生；\n2. 专业对口，学习能力强。",
            city=employer.city,
            industry=employer.industry,
            category=category,
            employment_type=EmploymentType.CAMPUS,
            education=max(education, Education.ASSOCIATE),
            headcount=headcount,
            salary_min=salary.monthly_min,
            salary_max=salary.monthly_max,
            salary_months=salary.months,
            salary_text=f"{low}-{high}元/月",
            fresh_graduate=True,
            cohort=2027,
            tags="五险一金 校园招聘",
            fair=fair,
        )
        job_submit(job=job, by=None)
        job = JobPosting.objects.get(pk=job.pk)
        if job.status == "pending":
            job_approve(job=job, by=by_staff)
        offers.append((job.pk, min(headcount, rng.randint(1, headcount))))
    # Most ask for the zone of their industry; some leave it to the organisers.
    zone = fair.zones.filter(industries=employer.industry).first() if rng.random() < 0.8 else None
    return exhibitor_apply(
        fair=fair,
        employer=employer,
        by=None,
        offers=offers,
        representatives=f"{rng.choice(SURNAMES)}老师 139{rng.randint(10000000, 99999999)}",
        zone_preference=zone,
    )


def _register_graduates(rng: random.Random, *, fair: Fair) -> int:
    provinces = [*Province.objects.order_by("code").values_list("code", flat=True), "other"]
    schools = [
        "复旦大学",
        "南京大学",
        "浙江大学",
        "中国科学技术大学",
        "东南大学",
        "同济大学",
        "苏州大学",
        "合肥工业大学",
    ]
    for index in range(1, GRADUATES + 1):
        email = f"graduate{index:02d}@demo.talent.cn"
        user = User.objects.filter(email=email).first() or User.objects.create_user(email, GRADUATE_PASSWORD)
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        profile_update(
            user=user,
            name=f"{rng.choice(SURNAMES)}同学{index:02d}",
            mobile=f"13{rng.randint(100000000, 999999999)}",
            school=rng.choice(schools),
            major=rng.choice(["软件工程", "机械工程", "会计学", "市场营销", "电气工程及其自动化", "英语"]),
            degree=rng.choice([Education.ASSOCIATE, Education.BACHELOR, Education.BACHELOR, Education.MASTER]),
            cohort=rng.choice(COHORTS),
            study_province=rng.choices(provinces, weights=[4, 3, 2, 1, 1])[0],
        )
        registration_create(fair=fair, graduate=user)
    return GRADUATES


def _complete_demo_graduate() -> None:
    """The demo graduate's profile meets the fair's qualifications, so registering can be tried at once."""
    user = User.objects.filter(email="graduate@demo.talent.cn").first()
    if user is not None and not getattr(getattr(user, "profile", None), "mobile", ""):
        profile_update(
            user=user,
            name=user.name or "王同学",
            mobile="13800138000",
            school="同济大学",
            major="软件工程",
            degree=Education.BACHELOR,
            cohort=2027,
            study_province="310000",
        )
