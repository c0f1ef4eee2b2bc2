"""seed_demo into the test database once for this module (it is the expensive bit), then check it from outside:
through ``fair_stats --json``, the database and the demo logins."""

import io
import json

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Sum

from accounts.models import User
from employers.models import Employer, Membership, MembershipStatus
from employers.uscc import division_code, validate_uscc
from fairs.demo import DEMO_ACCOUNTS, FAIR_SLUG
from fairs.demo_upcoming import SLUG as UPCOMING_SLUG
from fairs.models import ExhibitorStatus, Fair, FairLog, FairState, Offer, Participation, Registration
from fairs.selectors import fair_report
from jobs.filters import search_query
from jobs.models import JobPosting, JobStatus
from jobs.parsing import parse_salary

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once inside an outer transaction that is rolled back when the module ends (other modules see an
    empty database); each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out, err = _run("seed_demo")
        yield {"stdout": out, "stderr": err}
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {
        "fairs": Fair.objects.count(),
        "employers": Employer.objects.count(),
        "jobs": JobPosting.objects.count(),
        "participations": Participation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def test_fair_stats_reproduces_the_seeds_figures(seeded) -> None:
    stats = json.loads(_run("fair_stats", "--json")[0])
    assert stats["fair"] == FAIR_SLUG
    assert stats["employers"] == 1000
    assert stats["positions"] >= 20000
    assert {k: v["employers"] for k, v in stats["by_ownership"].items()} == {
        "state": 227,
        "private": 601,
        "foreign": 172,
        "other": 0,
    }
    provinces = {k: v["employers"] for k, v in stats["by_province"].items()}
    assert provinces == {"310000": 837, "320000": 85, "330000": 57, "340000": 21}
    outside = sum(stats["by_province"][code]["positions"] for code in ("320000", "330000", "340000"))
    assert outside >= 1200
    assert stats["by_industry"]["C"]["employers"] + stats["by_industry"]["I"]["employers"] == 496
    assert stats["share_c_plus_i"] == 0.496
    assert len(stats["by_industry"]) >= 12  # the other 504 employers spread over many sections
    # The same JSON whether the fair is named or taken as the latest one.
    assert json.loads(_run("fair_stats", "--fair", FAIR_SLUG, "--json")[0]) == stats


def test_the_table_shows_the_same_figures(seeded) -> None:
    out = _run("fair_stats")[0]
    assert "第十届长三角地区人才交流洽谈会暨2018届高校毕业生择业招聘会" in out
    for fragment in ("227", "22.7%", "601", "60.1%", "172", "17.2%", "837", "江苏省", "C 制造业", "49.6%"):
        assert fragment in out


def test_the_fair(seeded) -> None:
    fair = Fair.objects.get(slug=FAIR_SLUG)
    assert fair.edition == 10
    assert str(fair.starts_on) == "2018-03-25"
    assert fair.city.province_id == "310000"
    assert fair.state == FairState.FINISHED
    assert fair.exhibitors_published
    roles = {role: list(names) for role, names in _organisers(fair).items()}
    assert roles["host"] == [
        "上海市人力资源和社会保障局",
        "上海市教育委员会",
        "江苏省人社厅",
        "浙江省人社厅",
        "安徽省人社厅",
    ]
    assert roles["organiser"] == [
        "上海市人才服务中心",
        "上海市学生事务中心",
        "江苏省人才流动服务中心",
        "浙江省人才市场",
        "安徽省人才服务中心",
        "云南省人才服务中心",
    ]
    # The four regions' centres are linked (their staff act on the fair); 云南 is a name only.
    linked = set(fair.organisers.exclude(centre=None).values_list("centre__slug", flat=True))
    assert linked == {"sh-talent", "sh-student", "js-talent", "zj-talent", "ah-talent"}


def _organisers(fair) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for role, name in fair.organisers.order_by("role", "position").values_list("role", "name"):
        out.setdefault(role, []).append(name)
    return out


def test_the_fair_page_names_every_organiser_in_its_role(seeded, client) -> None:
    text = client.get(f"/fairs/{FAIR_SLUG}/").content.decode()
    for name in (
        "上海市人力资源和社会保障局",
        "上海市教育委员会",
        "江苏省人社厅",
        "安徽省人社厅",
        "云南省人才服务中心",
    ):
        assert name in text
    assert "主办" in text and "承办" in text


def test_the_upcoming_fair(seeded) -> None:
    fair = Fair.objects.get(slug=UPCOMING_SLUG)
    assert fair.state == FairState.GRADUATE_OPEN
    assert fair.host_centre.slug == "js-talent"
    assert fair.city.name == "南京市"
    assert fair.zones.count() == 5 and fair.booths.count() == 160
    approved = Participation.objects.filter(fair=fair, status=ExhibitorStatus.APPROVED)
    assert approved.count() == 60
    assert not approved.filter(booth=None).exists()  # every approved exhibitor has a booth
    assert approved.filter(employer__memberships__user__email="recruiter@demo.talent.cn").exists()
    pending = Participation.objects.filter(fair=fair, status=ExhibitorStatus.PENDING)
    by_province = dict(pending.values_list("employer__city__province").annotate(n=Count("id")).order_by())
    assert by_province == {"310000": 3, "320000": 3, "330000": 3, "340000": 3}
    assert Registration.objects.filter(fair=fair, status="registered").count() == 40
    # Every decision is in the fair's log.
    assert FairLog.objects.filter(fair=fair, action="exhibitor_approved").count() == 60
    assert FairLog.objects.filter(fair=fair, action="booth_assigned").count() == 60
    assert list(
        FairLog.objects.filter(fair=fair, action="state").order_by("at", "id").values_list("to_value", flat=True)
    ) == [
        "employer_open",
        "graduate_open",
    ]


def test_fair_stats_of_the_upcoming_fair_come_from_its_registrations(seeded) -> None:
    fair = Fair.objects.get(slug=UPCOMING_SLUG)
    stats = json.loads(_run("fair_stats", "--fair", UPCOMING_SLUG, "--json")[0])
    approved = Participation.objects.filter(fair=fair, status=ExhibitorStatus.APPROVED)
    assert stats["employers"] == approved.count() == 60
    assert stats["positions"] == Offer.objects.filter(participation__in=approved).aggregate(n=Sum("positions"))["n"]
    assert sum(v["employers"] for v in stats["by_province"].values()) == 60
    report = fair_report(fair)
    assert report["graduates"]["registered"] == 40
    assert sum(v["registered"] for v in report["graduates_by_study_province"].values()) == 40


def test_participation_positions_are_the_vacancy_headcounts(seeded) -> None:
    fair = Fair.objects.get(slug=FAIR_SLUG)
    headcounts = dict(
        JobPosting.objects.filter(fair=fair).values_list("employer").annotate(n=Sum("headcount")).order_by()
    )
    participations = list(
        Participation.objects.filter(fair=fair).values_list("employer", "positions", "booth__code", "status")
    )
    assert len(participations) == 1000
    assert {employer: positions for employer, positions, *_ in participations} == headcounts
    assert len({booth for _e, _p, booth, _s in participations}) == 1000
    assert all(booth[0] in "ABCDE" and len(booth) == 4 for _e, _p, booth, _s in participations)
    assert {status for *_, status in participations} == {"approved"}


def test_every_uscc_is_valid_unique_and_registered_in_the_employers_city(seeded) -> None:
    rows = list(Employer.objects.values_list("uscc", "city_id", "verification_state", "verified_at"))
    assert len({uscc for uscc, *_ in rows}) == len(rows) == 1000
    for uscc, city_code, state, verified_at in rows:
        assert validate_uscc(uscc) == uscc
        assert division_code(uscc) == city_code
        assert state == "verified" and verified_at is not None


def test_vacancies_are_live_searchable_and_parsed(seeded) -> None:
    jobs = JobPosting.objects.filter(fair__slug=FAIR_SLUG)
    total = jobs.count()
    assert total > 1000
    assert jobs.filter(status=JobStatus.PUBLISHED).count() == total
    assert JobPosting.objects.published().filter(fair__slug=FAIR_SLUG).count() == total  # visible to the public
    assert not jobs.filter(search_vector__isnull=True).exists()
    assert not jobs.filter(salary_unparsed=True).exists()
    for text, low, high, months, negotiable in jobs.values_list(
        "salary_text", "salary_min", "salary_max", "salary_months", "salary_negotiable"
    )[:300]:
        parsed = parse_salary(text)
        assert (parsed.monthly_min, parsed.monthly_max, parsed.months, parsed.negotiable) == (
            low,
            high,
            months,
            negotiable,
        )
    campus = jobs.filter(employment_type="campus")
    assert campus.exists() and not campus.exclude(fresh_graduate=True, cohort=2018).exists()
    assert jobs.filter(employment_type="internship").exists()
    assert jobs.values("title").distinct().count() > 100
    assert jobs.values("education").distinct().count() >= 4
    assert jobs.values("city").distinct().count() > 30
    # The search vector holds the segmented title: a Chinese query finds it.
    job = jobs.filter(title__startswith="Java开发工程师").first()
    assert job is not None
    query = search_query("Java开发")
    assert jobs.filter(search_vector=query, pk=job.pk).exists()


def test_demo_accounts_log_in_with_the_documented_passwords(seeded) -> None:
    for account in DEMO_ACCOUNTS:
        user = authenticate(username=account.email, password=account.password)
        assert user is not None, account.email
    admin = User.objects.get(email="admin@demo.talent.cn")
    assert admin.is_superuser and admin.is_staff
    for slug, email in [
        ("sh-talent", "staff.sh"),
        ("js-talent", "staff.js"),
        ("zj-talent", "staff.zj"),
        ("ah-talent", "staff.ah"),
    ]:
        staff = User.objects.get(email=f"{email}@demo.talent.cn")
        assert staff.is_staff and not staff.is_superuser
        assert staff.centre.slug == slug
    membership = Membership.objects.select_related("employer__city").get(user__email="recruiter@demo.talent.cn")
    assert membership.status == MembershipStatus.ACTIVE and membership.role == "owner"
    assert membership.employer.city.province_id == "310000" and membership.employer.industry_id == "I"
    graduate = User.objects.get(email="graduate@demo.talent.cn")
    assert not graduate.is_staff and not graduate.memberships.exists()


def test_demo_logins_prints_the_url_and_every_login(seeded) -> None:
    out = _run("demo_logins", "--url", "http://127.0.0.1:8123")[0]
    assert "http://127.0.0.1:8123/" in out
    assert "http://127.0.0.1:8123/admin/" in out
    for account in DEMO_ACCOUNTS:
        assert account.email in out and account.password in out
    assert "not created yet" not in out


def test_progress_is_shown(seeded) -> None:
    assert "employers" in seeded["stderr"] and "1000/1000" in seeded["stderr"]
    assert "vacancies" in seeded["stderr"]
    assert "1000 employers" in seeded["stdout"]


def test_running_it_again_changes_nothing(seeded) -> None:
    before = _counts()
    stats = _run("fair_stats", "--json")[0]
    out, _ = _run("seed_demo")
    assert "already exists" in out
    assert _counts() == before
    assert _run("fair_stats", "--json")[0] == stats


def test_a_later_run_puts_staff_into_the_moderator_group_once_it_exists(seeded) -> None:
    # The moderation branch's data migration creates the group; without it, this run would create the membership.
    group, _ = Group.objects.get_or_create(name="centre moderator")
    before = _counts()
    _run("seed_demo")
    assert set(group.user_set.values_list("email", flat=True)) == {
        "staff.sh@demo.talent.cn",
        "staff.js@demo.talent.cn",
        "staff.zj@demo.talent.cn",
        "staff.ah@demo.talent.cn",
    }
    assert _counts() == before


def test_it_is_deterministic(seeded) -> None:
    """Seeding another database gives the same employers and vacancies (here: the same one, emptied)."""

    def snapshot():
        employers = list(Employer.objects.order_by("uscc").values_list("uscc", "name", "city", "ownership", "industry"))
        jobs = list(
            JobPosting.objects.order_by("employer__uscc", "title", "headcount").values_list(
                "employer__uscc", "title", "headcount", "salary_text", "education", "employment_type", "city"
            )
        )
        return employers, jobs

    first = snapshot()
    JobPosting.objects.all().delete()
    Membership.objects.all().delete()
    Fair.objects.all().delete()
    Employer.objects.all().delete()
    _run("seed_demo")
    assert snapshot() == first


def test_an_unknown_slug_is_a_clear_error(seeded) -> None:
    with pytest.raises(CommandError) as excinfo:
        _run("fair_stats", "--fair", "no-such-fair", "--json")
    assert "no-such-fair" in str(excinfo.value)
    assert FAIR_SLUG in str(excinfo.value)  # names the fairs that exist
