"""factory_boy factories over the real models; regions and industries come from the data migrations."""

import itertools
from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from employers.models import Employer, Industry, Membership, MembershipRole, MembershipStatus, Ownership
from employers.uscc import make_uscc
from fairs.models import Booth, ExhibitorStatus, Fair, FairOrganiser, FairState, OrganiserRole, Participation, Zone
from jobs.models import Application, EmploymentType, JobPosting, JobStatus
from regions.models import City, TalentCentre

_serials = itertools.count(1)


def city(code: str = "310115") -> City:
    return City.objects.select_related("province").get(code=code)


def industry(code: str = "I") -> Industry:
    return Industry.objects.get(code=code)


def centre(slug: str = "sh-talent") -> TalentCentre:
    return TalentCentre.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    centre = factory.LazyFunction(centre)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"上海测试科技有限公司{n}")
    city = factory.LazyFunction(city)
    uscc = factory.LazyAttribute(lambda o: make_uscc(division=o.city.code, serial=f"{next(_serials):09d}"))
    ownership = Ownership.PRIVATE
    industry = factory.LazyFunction(industry)
    verification_state = "verified"
    contact_email = factory.Sequence(lambda n: f"hr{n}@company.example.cn")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    employer = factory.SubFactory(EmployerFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.OWNER
    status = MembershipStatus.ACTIVE


class JobPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosting
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"软件开发工程师{n}")
    description = "负责公司核心系统的设计与开发，五险一金，带薪年假。"
    city = factory.LazyAttribute(lambda o: o.employer.city)
    industry = factory.LazyAttribute(lambda o: o.employer.industry)
    employment_type = EmploymentType.FULL_TIME
    education = 3
    headcount = 2
    salary_min = 8000
    salary_max = 12000
    status = JobStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    valid_through = factory.LazyFunction(lambda: timezone.now() + timedelta(days=60))

    @factory.post_generation
    def _search_index(obj, create, extracted, **kwargs):
        """Write the search vector the way every real write path does (jobs.services.job_index)."""
        if create:
            from jobs.services import job_index

            job_index(job=obj)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    job = factory.SubFactory(JobPostingFactory)
    graduate = factory.SubFactory(UserFactory)


class FairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fair
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"第{n}届长三角地区人才交流洽谈会")
    slug = factory.Sequence(lambda n: f"fair-{n}")
    edition = factory.Sequence(lambda n: n)
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyAttribute(lambda o: o.starts_on)
    venue = "上海国际展览中心"
    city = factory.LazyFunction(lambda: city("310105"))
    state = FairState.FINISHED
    exhibitors_published = True
    host_centre = factory.LazyFunction(centre)

    @factory.post_generation
    def organised_by(obj, create, extracted, **kwargs):
        """``organised_by=["js-talent", …]``: co-organising centres (承办) besides the host."""
        if create:
            for position, slug in enumerate([obj.host_centre.slug if obj.host_centre else None, *(extracted or [])]):
                if slug:
                    partner = centre(slug)
                    FairOrganiser.objects.get_or_create(
                        fair=obj,
                        role=OrganiserRole.ORGANISER,
                        name=partner.name,
                        defaults={"centre": partner, "position": position},
                    )


class UpcomingFairFactory(FairFactory):
    """A fair open for exhibitors and graduates now, starting in a month."""

    state = FairState.GRADUATE_OPEN
    exhibitors_published = False
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=1))
    employer_registration_opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    employer_registration_closes = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    graduate_registration_opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    graduate_registration_closes = factory.LazyFunction(lambda: timezone.now() + timedelta(days=29))


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ["fair", "code"]

    fair = factory.SubFactory(FairFactory)
    code = "A"
    name = factory.LazyAttribute(lambda o: f"{o.code}馆")


class BoothFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booth

    fair = factory.SubFactory(FairFactory)
    zone = factory.LazyAttribute(lambda o: ZoneFactory(fair=o.fair, code=o.code[0]))
    code = factory.Sequence(lambda n: f"A{n:03d}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    """An approved exhibitor; ``booth="B218"`` puts it on that booth (made if missing)."""

    class Meta:
        model = Participation

    fair = factory.SubFactory(FairFactory)
    employer = factory.SubFactory(EmployerFactory)
    status = ExhibitorStatus.APPROVED
    booth = None
    positions = 10

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        booth = kwargs.get("booth")
        if isinstance(booth, str):
            fair = kwargs["fair"]
            kwargs["booth"] = Booth.objects.filter(fair=fair, code=booth).first() or BoothFactory(fair=fair, code=booth)
        return super()._create(model_class, *args, **kwargs)
