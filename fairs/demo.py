"""The demo: the 10th 长三角地区人才交流洽谈会 (2018-03-25, Shanghai) with the seed's figures, and demo accounts.

``seed_demo()`` builds 1,000 fictional verified employers (227 state / 601 private / 172 foreign; 57 from Zhejiang,
85 from Jiangsu, 21 from Anhui, the rest in Shanghai's districts; 496 in sections C + I), their vacancies at the fair
(20,000+ positions in all, 1,200+ from the three provinces) and one participation per employer whose ``positions``
is the sum of that employer's vacancy headcounts.

Decisions worth knowing:
- The vacancies are the fair's, but ``published_at`` is spread over the 30 days before seeding and ``valid_through``
  is 60 days after seeding, so the demo catalogue is alive for search and browsing (a 2018 date would make every
  vacancy expired).
- Everything comes from ``random.Random(2018)``: two databases seeded with this code hold the same employers and
  vacancies (only timestamps relative to "now" differ).
- It is idempotent: if the fair (slug ``yrd-2018``) exists, only the demo accounts are made sure of; nothing is
  created twice. The whole seed runs in one transaction, so an interrupted run leaves nothing behind.
- The demo passwords are public (see ``DEMO_ACCOUNTS``): demo databases only, never production.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from employers.models import Employer, Industry, Membership, MembershipRole, MembershipStatus, Ownership
from employers.uscc import ALPHABET, make_uscc
from jobs.models import Education, EmploymentType, Experience, JobPosting, JobStatus
from jobs.parsing import parse_salary
from jobs.search import job_document
from regions.models import City, TalentCentre

from . import demo_data as data
from .models import Booth, ExhibitorStatus, Fair, FairOrganiser, FairState, OrganiserRole, Participation, Zone
from .services import plan_item_delete, plan_item_save

SEED = 2018
FAIR_SLUG = "yrd-2018"
FAIR_NAME = "第十届长三角地区人才交流洽谈会暨2018届高校毕业生择业招聘会"
FAIR_DATE = date(2018, 3, 25)
FAIR_VENUE = "上海国际展览中心"
FAIR_CITY = "310105"  # 长宁区 (娄山关路)
# The 2018 fair's organisers as the centres published them. 云南省人才服务中心 is not one of the four regions: a
# name only, no TalentCentre row (and so no staff scope).
HOSTS = ["上海市人力资源和社会保障局", "上海市教育委员会", "江苏省人社厅", "浙江省人社厅", "安徽省人社厅"]
ORGANISERS = [
    "上海市人才服务中心",
    "上海市学生事务中心",
    "江苏省人才流动服务中心",
    "浙江省人才市场",
    "安徽省人才服务中心",
    "云南省人才服务中心",
]
HALLS = "ABCDE"  # 200 booths a hall, A001–E200

# The seed's figures.
EMPLOYERS_BY_PROVINCE = {"330000": 57, "320000": 85, "340000": 21, "310000": 837}
EMPLOYERS_BY_OWNERSHIP = {Ownership.STATE: 227, Ownership.PRIVATE: 601, Ownership.FOREIGN: 172}
OUTSIDE_SHANGHAI_POSITIONS = (1205, 1295)  # "1,200+" from Zhejiang, Jiangsu and Anhui together
TOTAL_POSITIONS = (20100, 20900)  # "20,000+"
COHORT = 2018
MODERATOR_GROUP = "centre moderator"
# Vacancy text is Chinese whatever language is active, so not Education's (translatable) labels.
EDUCATION_TEXT = {0: "不限", 1: "高中/中专", 2: "大专", 3: "本科", 4: "硕士", 5: "博士"}
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str  # shown by ``demo_logins``
    name: str
    superuser: bool = False
    centre: str = ""  # TalentCentre slug for centre staff
    recruiter: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin@demo.talent.cn", "demo-admin-2018", "超级管理员 / superuser", "演示管理员", superuser=True),
    DemoAccount(
        "staff.sh@demo.talent.cn",
        "demo-staff-2018",
        "上海中心工作人员 / Shanghai staff",
        "沪审核员",
        centre="sh-talent",
    ),
    DemoAccount(
        "staff.js@demo.talent.cn", "demo-staff-2018", "江苏中心工作人员 / Jiangsu staff", "苏审核员", centre="js-talent"
    ),
    DemoAccount(
        "staff.zj@demo.talent.cn",
        "demo-staff-2018",
        "浙江中心工作人员 / Zhejiang staff",
        "浙审核员",
        centre="zj-talent",
    ),
    DemoAccount(
        "staff.ah@demo.talent.cn", "demo-staff-2018", "安徽中心工作人员 / Anhui staff", "皖审核员", centre="ah-talent"
    ),
    DemoAccount(
        "recruiter@demo.talent.cn", "demo-recruiter-2018", "招聘单位 / employer recruiter", "李招聘", recruiter=True
    ),
    DemoAccount("graduate@demo.talent.cn", "demo-graduate-2018", "求职者 / graduate", "王同学"),
]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SeedResult:
    created: bool
    fair: Fair
    employers: int = 0
    vacancies: int = 0
    positions: int = 0


def seed_demo(*, progress: Progress | None = None) -> SeedResult:
    """Create the demo fair, its employers and vacancies, and the demo accounts; a no-op for what exists."""
    report = progress or (lambda stage, done, total: None)
    with transaction.atomic():
        accounts = _ensure_accounts()
        fair = Fair.objects.filter(slug=FAIR_SLUG).first()
        if fair is not None:
            ensure_organisers(fair, hosts=HOSTS, organisers=ORGANISERS)
            return SeedResult(created=False, fair=fair)
        fair = _create_fair()
        ensure_organisers(fair, hosts=HOSTS, organisers=ORGANISERS)
        generator = _Generator(random.Random(SEED), now=timezone.now())  # noqa: S311 - demo data, not secrets
        employers = generator.create_employers(accounts=accounts, report=report)
        jobs = generator.create_vacancies(fair=fair, employers=employers, report=report)
        positions = _create_participations(fair=fair, employers=employers, jobs=jobs)
        _attach_recruiter(accounts["recruiter@demo.talent.cn"], employers)
    return SeedResult(created=True, fair=fair, employers=len(employers), vacancies=len(jobs), positions=positions)


# --- accounts and the fair ---


def _ensure_accounts() -> dict[str, User]:
    """Create missing demo accounts; never reset the password of one that exists."""
    group = Group.objects.filter(name=MODERATOR_GROUP).first()  # created by a later migration; tolerate its absence
    centres = {c.slug: c for c in TalentCentre.objects.all()}
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            extra = {"name": account.name}
            if account.centre:
                extra.update(is_staff=True, centre=centres[account.centre])
            if account.superuser:
                user = User.objects.create_superuser(account.email, account.password, **extra)
            else:
                user = User.objects.create_user(account.email, account.password, **extra)
        if account.centre and group is not None and not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
        users[account.email] = user
        # Logging in through allauth needs a confirmed address; the demo addresses are confirmed by fiat.
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return users


def ensure_organisers(fair: Fair, *, hosts: list[str], organisers: list[str], supporters: list[str] = ()) -> None:
    """The fair's organisers in their roles, centres linked by name, through the plan service (idempotent)."""
    centres = {centre.name: centre for centre in TalentCentre.objects.all()}
    wanted = {
        (role, name): position
        for role, names in (
            (OrganiserRole.HOST, hosts),
            (OrganiserRole.ORGANISER, organisers),
            (OrganiserRole.SUPPORTER, supporters),
        )
        for position, name in enumerate(names)
    }
    for organiser in FairOrganiser.objects.filter(fair=fair):
        if (organiser.role, organiser.name) not in wanted:
            plan_item_delete(item=organiser, by=None)
    existing = {(o.role, o.name): o for o in FairOrganiser.objects.filter(fair=fair)}
    for (role, name), position in wanted.items():
        organiser = existing.get((role, name)) or FairOrganiser(fair=fair, role=role, name=name)
        if organiser.pk and organiser.position == position and organiser.centre == centres.get(name):
            continue
        organiser.position, organiser.centre = position, centres.get(name)
        plan_item_save(item=organiser, by=None)


def _create_fair() -> Fair:
    """The 2018 fair as it happened: finished, its exhibitor list public, hosted (for staff scoping) by
    上海市人才服务中心."""
    return Fair.objects.create(
        name=FAIR_NAME,
        slug=FAIR_SLUG,
        edition=10,
        state=FairState.FINISHED,
        exhibitors_published=True,
        host_centre=TalentCentre.objects.get(slug="sh-talent"),
        starts_on=FAIR_DATE,
        ends_on=FAIR_DATE,
        venue=FAIR_VENUE,
        address="上海市长宁区娄山关路88号",
        city=City.objects.get(code=FAIR_CITY),
        description=(
            "2018年3月，沪苏浙皖三省一市人力资源和社会保障部门签署人才服务合作框架协议，推动长三角地区人才需求信息"
            "互联互通、实时查询。第十届长三角地区人才交流洽谈会暨2018届高校毕业生择业招聘会于3月25日在上海举行，"
            "1000家用人单位提供20000余个岗位，其中浙江、江苏、安徽三省共163家单位带来1200余个岗位。"
        ),
    )


def _create_participations(*, fair: Fair, employers: list[Employer], jobs: list[JobPosting]) -> int:
    """One approved exhibitor per employer on booths A001–E200, its positions the sum of its vacancies' headcounts.

    Bulk inserts, like the rest of the 2018 seed: this is the record of a fair that already happened, written
    once into an empty database, not a sequence of decisions (those go through ``fairs.services``, as the
    upcoming demo fair's do)."""
    positions: dict[int, int] = {}
    for job in jobs:
        positions[job.employer_id] = positions.get(job.employer_id, 0) + job.headcount
    zones = Zone.objects.bulk_create(
        [Zone(fair=fair, code=hall, name=f"{hall}馆", name_en=f"Hall {hall}") for hall in HALLS]
    )
    booths = Booth.objects.bulk_create(
        [
            Booth(fair=fair, zone=zones[index // 200], code=f"{HALLS[index // 200]}{index % 200 + 1:03d}")
            for index in range(len(employers))
        ],
        batch_size=1000,
    )
    decided = timezone.make_aware(datetime.combine(FAIR_DATE - timedelta(days=14), time(10, 0)))
    rows = [
        Participation(
            fair=fair,
            employer=employer,
            status=ExhibitorStatus.APPROVED,
            booth=booths[index],
            positions=positions[employer.pk],
            submitted_at=decided - timedelta(days=14),
            decided_at=decided,
        )
        for index, employer in enumerate(employers)
    ]
    Participation.objects.bulk_create(rows, batch_size=1000)
    return sum(positions.values())


def _attach_recruiter(user: User, employers: list[Employer]) -> None:
    employer = next(
        e for e in employers if e.city.province_id == "310000" and e.industry_id == "I" and e.ownership == "private"
    )
    Membership.objects.get_or_create(
        employer=employer, user=user, defaults={"role": MembershipRole.OWNER, "status": MembershipStatus.ACTIVE}
    )


# --- the generator ---


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _split_exactly(rng: random.Random, total: int, weights: list[float], minimum: int) -> list[int]:
    """Integers ≥ ``minimum`` proportional to ``weights`` that add up to exactly ``total``."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise ValueError("total too small for the minimum")
    scale = spare / sum(weights)
    raw = [w * scale for w in weights]
    parts = [int(r) for r in raw]
    by_fraction = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], rng.random()), reverse=True)
    for i in by_fraction[: spare - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


class _Generator:
    def __init__(self, rng: random.Random, *, now) -> None:
        self.rng = rng
        self.now = now
        self.cities = {c.code: c for c in City.objects.select_related("province")}
        self.industries = {i.code: i for i in Industry.objects.all()}
        self.used_usccs = set(Employer.objects.values_list("uscc", flat=True))
        self.used_names = set(Employer.objects.values_list("name", flat=True))

    # employers

    def create_employers(self, *, accounts: dict[str, User], report: Progress) -> list[Employer]:
        rng = self.rng
        industries = [code for code, n in data.INDUSTRY_COUNTS.items() for _ in range(n)]
        provinces = [code for code, n in EMPLOYERS_BY_PROVINCE.items() for _ in range(n)]
        rng.shuffle(industries)
        rng.shuffle(provinces)
        ownerships = self._ownerships(industries)
        verifier = {a.centre[:2]: accounts[a.email] for a in DEMO_ACCOUNTS if a.centre}
        verifier_by_province = {
            "310000": verifier["sh"],
            "320000": verifier["js"],
            "330000": verifier["zj"],
            "340000": verifier["ah"],
        }
        employers = []
        total = len(industries)
        for index, (industry, province, ownership) in enumerate(zip(industries, provinces, ownerships, strict=True)):
            city = self.cities[_weighted(rng, data.CITY_WEIGHTS[province])]
            employers.append(
                self._employer(
                    industry=industry, city=city, ownership=ownership, verifier=verifier_by_province[province]
                )
            )
            if (index + 1) % 50 == 0 or index + 1 == total:
                report("employers", index + 1, total)
        Employer.objects.bulk_create(employers, batch_size=500)
        return employers

    def _ownerships(self, industries: list[str]) -> list[str]:
        """Exactly 227/601/172 overall, but likelier state in utilities or schools and foreign in manufacturing."""
        remaining = dict(EMPLOYERS_BY_OWNERSHIP)
        out = []
        for industry in industries:
            weights = dict(zip(remaining, data.OWNERSHIP_WEIGHTS[industry], strict=True))
            choice = self.rng.choices(list(remaining), weights=[weights[o] * remaining[o] for o in remaining])[0]
            remaining[choice] -= 1
            out.append(str(choice))
        return out

    def _employer(self, *, industry: str, city: City, ownership: str, verifier: User) -> Employer:
        rng = self.rng
        name = self._employer_name(industry=industry, city=city, ownership=ownership)
        public_institution = ownership == Ownership.STATE and name.endswith(data.PUBLIC_INSTITUTION_MARKERS)
        size = _weighted(rng, data.SIZE_WEIGHTS[ownership])
        place = city.full_name
        intro = rng.choice(data.EMPLOYER_INTROS).format(
            name=name,
            year=rng.randint(1958, 2012) if ownership == Ownership.STATE else rng.randint(1993, 2016),
            field=data.FIELDS[industry],
            kind="公立机构" if public_institution else data.EMPLOYER_KIND[ownership],
            place=place,
        )
        more = " ".join(
            s.format(staff=rng.choice([50, 120, 300, 800, 1500, 3000])) for s in rng.sample(data.EMPLOYER_MORE, 2)
        )
        return Employer(
            name=name,
            uscc=self._uscc(city=city, ownership=ownership, public_institution=public_institution),
            ownership=ownership,
            industry=self.industries[industry],
            city=city,
            size=size,
            description=f"{intro}{more}",
            address=f"{place}{rng.choice(data.ROADS)}{rng.randint(1, 1999)}号",
            contact_name=rng.choice("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高") + rng.choice(["先生", "女士", "老师"]),
            contact_phone=f"{self._area_code(city)}-{rng.randint(5000_0000, 6999_9999)}",
            contact_email=f"hr{len(self.used_names):04d}@demo.example.cn",
            verification_state="verified",
            verified_at=self.now - timedelta(days=rng.randint(31, 400)),
            verified_by=verifier,
        )

    def _employer_name(self, *, industry: str, city: City, ownership: str) -> str:
        rng = self.rng
        region = "上海" if city.province_id == "310000" else city.name.removesuffix("市")
        for attempt in range(200):
            brand = rng.choice(data.BRANDS)
            if ownership == Ownership.STATE:  # 上海市…, 苏州市第三人民医院
                state_region = "上海市" if city.province_id == "310000" else city.name
                name = rng.choice(data.STATE_NAMES[industry]).format(
                    region=state_region, brand=brand, n=rng.choice(NUMERALS)
                )
            elif ownership == Ownership.FOREIGN:
                name = (
                    f"{rng.choice(data.FOREIGN_BRANDS)}（{region}）{rng.choice(data.COMPANY_WORDS[industry])}有限公司"
                )
            else:
                suffix = rng.choice(["有限公司", "有限公司", "有限公司", "股份有限公司"])
                if industry == "L" and rng.random() < 0.2:
                    suffix = ""
                word = rng.choice(data.COMPANY_WORDS[industry])
                name = f"{region}{brand}{word}{suffix}"
            if attempt > 100:
                name = f"{name[:-4]}{attempt}{name[-4:]}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("could not find a fresh employer name")

    def _uscc(self, *, city: City, ownership: str, public_institution: bool) -> str:
        rng = self.rng
        registry, kind = ("1", "2") if public_institution else ("9", "1")
        while True:
            if ownership == Ownership.STATE:  # older organisation codes: digits
                serial = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice("0123456789X")
            else:  # codes issued since 2015 start "MA"
                serial = "MA" + "".join(rng.choice(ALPHABET) for _ in range(7))
            code = make_uscc(division=city.code, serial=serial, registry=registry, kind=kind)
            if code not in self.used_usccs:
                self.used_usccs.add(code)
                return code

    @staticmethod
    def _area_code(city: City) -> str:
        codes = {"310000": "021", "320100": "025", "320500": "0512", "330100": "0571", "340100": "0551"}
        return codes.get(city.province_id) or codes.get(city.code) or "0" + city.code[:3]

    # vacancies

    def create_vacancies(self, *, fair: Fair, employers: list[Employer], report: Progress) -> list[JobPosting]:
        positions = self._positions_per_employer(employers)
        jobs: list[JobPosting] = []
        valid_through = self.now + timedelta(days=60)
        for employer, total in zip(employers, positions, strict=True):
            titles = self._titles(employer.industry_id, total)
            headcounts = self._headcounts(total, len(titles))
            for (title, category, education, band, family), headcount in zip(titles, headcounts, strict=True):
                jobs.append(
                    self._vacancy(
                        employer=employer,
                        fair=fair,
                        title=title,
                        category=category,
                        education=education,
                        band=band,
                        family=family,
                        headcount=headcount,
                        valid_through=valid_through,
                    )
                )
        total = len(jobs)
        for index, job in enumerate(jobs):
            job.search_vector = job_document(job)
            if (index + 1) % 250 == 0 or index + 1 == total:
                report("vacancies", index + 1, total)
        JobPosting.objects.bulk_create(jobs, batch_size=500)
        if any(job.salary_unparsed for job in jobs):
            raise RuntimeError("the demo generated salary text that jobs.parsing cannot read")
        return jobs

    def _positions_per_employer(self, employers: list[Employer]) -> list[int]:
        rng = self.rng
        outside_total = rng.randint(*OUTSIDE_SHANGHAI_POSITIONS)
        total = rng.randint(*TOTAL_POSITIONS)
        weights = [data.SIZE_POSITION_WEIGHT[e.size] * rng.uniform(0.6, 1.5) for e in employers]
        outside = [i for i, e in enumerate(employers) if e.city.province_id != "310000"]
        inside = [i for i, e in enumerate(employers) if e.city.province_id == "310000"]
        out = [0] * len(employers)
        for indices, amount, minimum in ((outside, outside_total, 2), (inside, total - outside_total, 4)):
            for i, n in zip(indices, _split_exactly(rng, amount, [weights[i] for i in indices], minimum), strict=True):
                out[i] = n
        return out

    def _titles(self, industry: str, positions: int) -> list[tuple]:
        rng = self.rng
        pool = [(*t, family) for family in data.INDUSTRY_FAMILIES[industry] for t in data.JOB_TITLES[family]]
        count = max(1, min(len(pool), positions, round(positions / rng.uniform(3.5, 7.0))))
        titles = rng.sample(pool, count)
        if count >= 3 and rng.random() < 0.5:  # support functions every organisation recruits for
            common = rng.choice(data.JOB_TITLES["common"])
            if common[0] not in {t[0] for t in titles}:
                titles[-1] = (*common, "common")
        return titles

    def _headcounts(self, total: int, count: int) -> list[int]:
        cuts = sorted(self.rng.sample(range(1, total), count - 1)) if count > 1 else []
        bounds = [0, *cuts, total]
        return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]

    def _vacancy(self, *, employer, fair, title, category, education, band, family, headcount, valid_through):
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            employment_type, fresh, cohort, experience = EmploymentType.CAMPUS, True, COHORT, Experience.ANY
        elif roll < 0.70:
            employment_type, fresh, cohort, experience = EmploymentType.INTERNSHIP, True, None, Experience.ANY
        elif roll < 0.97:
            employment_type = EmploymentType.FULL_TIME
            fresh = rng.random() < 0.4
            cohort = None
            experience = Experience.ANY if fresh else rng.choice([Experience.ONE, Experience.ONE, Experience.THREE])
        else:
            employment_type, fresh, cohort, experience = EmploymentType.PART_TIME, False, None, Experience.ANY
        if employment_type == EmploymentType.CAMPUS and rng.random() < 0.3:
            title = f"{title}（2018届校招）"
        elif employment_type == EmploymentType.INTERNSHIP:
            title = f"{title}实习生"
        if education >= Education.BACHELOR and rng.random() < 0.15:
            education += 1 if education < Education.DOCTOR else 0
        salary_text = self._salary_text(band, employment_type)
        salary = parse_salary(salary_text)
        city = employer.city
        if rng.random() < 0.12:  # a branch elsewhere in the region
            city = self.cities[_weighted(rng, data.CITY_WEIGHTS[rng.choice(list(data.CITY_WEIGHTS))])]
        benefits = rng.sample(data.BENEFITS, rng.randint(2, 5))
        if employment_type != EmploymentType.INTERNSHIP and "五险一金" not in benefits and rng.random() < 0.8:
            benefits[0] = "五险一金"
        job = JobPosting(
            employer=employer,
            title=title,
            description=self._description(family, title, education, employment_type, benefits),
            city=city,
            address=employer.address if city.pk == employer.city_id else "",
            industry=employer.industry,
            category=category,
            tags=" ".join(benefits),
            employment_type=employment_type,
            education=education,
            experience=experience,
            headcount=headcount,
            salary_min=salary.monthly_min,
            salary_max=salary.monthly_max,
            salary_months=salary.months,
            salary_negotiable=salary.negotiable,
            salary_text=salary_text,
            salary_unparsed=not salary.parsed,
            fresh_graduate=fresh,
            cohort=cohort,
            status=JobStatus.PUBLISHED,
            published_at=self.now - timedelta(seconds=rng.randint(0, 30 * 86400)),
            valid_through=valid_through,
            fair=fair,
        )
        return job

    def _salary_text(self, band: tuple[int, int], employment_type: str) -> str:
        rng = self.rng
        if employment_type == EmploymentType.INTERNSHIP:
            return rng.choice([f"{rng.choice([120, 150, 180, 200, 250, 300])}元/天", f"{rng.choice([3, 4, 5])}k-6k"])
        if employment_type == EmploymentType.PART_TIME:
            return f"{rng.choice([25, 30, 40, 50])}元/小时"
        factor = rng.uniform(0.85, 1.2)
        lo = max(3000, round(band[0] * factor / 500) * 500)
        hi = max(lo + 1000, round(band[1] * factor / 500) * 500)
        k_lo, k_hi = f"{lo / 1000:g}", f"{hi / 1000:g}"
        style = rng.random()
        if style < 0.05:
            return rng.choice(["面议", "薪资面议"])
        if style < 0.30:
            return f"{k_lo}k-{k_hi}k"
        if style < 0.50:
            return f"{k_lo}-{k_hi}K·{rng.choice([13, 13, 14, 15, 16])}薪"
        if style < 0.68:
            return f"{lo}-{hi}元/月"
        if style < 0.78 and lo >= 10000:
            return f"{lo / 10000:g}-{hi / 10000:g}万/月"
        if style < 0.88:
            return f"{round(lo * 12 / 10000):g}-{round(hi * 12 / 10000):g}万/年"
        if style < 0.95:
            return f"月薪{lo}-{hi}元"
        return f"{lo}元以上"

    def _description(self, family: str, title: str, education: int, employment_type: str, benefits: list[str]) -> str:
        rng = self.rng
        duties = rng.sample(data.DUTIES[family], min(len(data.DUTIES[family]), rng.randint(3, 5)))
        level = EDUCATION_TEXT[education]
        majors = "、".join(rng.sample(data.MAJORS[family], min(2, len(data.MAJORS[family]))))
        requirements = [
            f"{level}及以上学历，{majors}等相关专业" if education else f"学历不限，{majors}等相关专业优先",
            *rng.sample(data.SKILLS[family], min(2, len(data.SKILLS[family]))),
            *rng.sample(data.GENERIC_REQUIREMENTS, 2),
        ]
        if employment_type == EmploymentType.CAMPUS:
            requirements.insert(0, f"{COHORT}届全日制高校毕业生")
        elif employment_type == EmploymentType.INTERNSHIP:
            requirements.insert(0, "在校生，每周至少实习4天，实习期3个月以上，表现优秀者可转正")
        perks = rng.sample(data.BENEFIT_SENTENCES, 2)
        paragraphs = [
            "岗位职责：\n" + "\n".join(f"{i}. {d}；" for i, d in enumerate(duties, 1)),
            "任职要求：\n" + "\n".join(f"{i}. {r}；" for i, r in enumerate(requirements, 1)),
            "福利待遇：\n" + "、".join(benefits) + "。" + "；".join(perks) + "。",
        ]
        return "\n\n".join(paragraphs)
