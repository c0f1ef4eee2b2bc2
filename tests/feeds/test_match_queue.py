"""Employers the platform does not know yet: a feed naming an employer without a 统一社会信用代码 that matches no
registered one creates it unmatched and holds its vacancies; the employer's province staff match it to a registered
employer, verify it as new, or refuse it, in the match queue (admin), and the vacancies follow."""

import pytest
from django.core import mail
from django.test import Client

from employers.models import Employer, VerificationState
from employers.uscc import make_uscc
from feeds.matching import match_candidates, unmatched_employer_match
from feeds.models import EmployerAlias, SyncIssue
from jobs.models import JobPosting, JobReview, JobStatus
from talentfair.core.errors import ApplicationError
from tests.factories import EmployerFactory, city
from tests.moderation_helpers import staff

from .feedkit import jsonld, posting
from .test_sync import sync

pytestmark = pytest.mark.django_db

QUEUE = "/admin/feeds/unmatchedemployer/"
NAME = "昆山明德电子有限公司"


def _unknown(external_id: str, *, name: str = NAME, place: str = "苏州", **overrides):
    """A vacancy whose employer is named only by name: no identifier of any kind."""
    return posting(
        external_id,
        hiringOrganization={"@type": "Organization", "name": name},
        jobLocation={"address": place},
        **overrides,
    )


def _feed():
    return jsonld(_unknown("U1", title="SMT工艺工程师"), _unknown("U2", title="品质检验员"), posting("K1"))


@pytest.fixture
def jiangsu():
    client = Client()
    client.force_login(staff("320000"))
    return client


def _held_jobs():
    return JobPosting.objects.filter(feed_records__external_id__in=["U1", "U2"]).order_by("title")


def test_an_unknown_employer_is_created_unmatched_and_its_vacancies_wait(make_source, client):
    source = make_source()
    run = sync(source, _feed())
    assert (run.created, run.held, run.unmatched, run.rejected) == (3, 2, 2, 0)
    employer = Employer.objects.get(name=NAME)
    assert (employer.verification_state, employer.uscc, employer.city_id) == (
        VerificationState.UNMATCHED,
        None,
        "320500",
    )
    assert employer.source_centre == source.centre
    assert {job.status for job in _held_jobs()} == {JobStatus.PENDING}
    assert not JobPosting.objects.published().filter(employer=employer).exists()
    assert client.get(f"/employers/{employer.pk}/").status_code == 404  # nothing of it is public
    assert "SMT工艺工程师" not in client.get("/jobs/", {"q": "SMT"}).content.decode()
    warnings = SyncIssue.objects.filter(run=run, severity="warning", field="uscc")
    assert sorted(w.record_id for w in warnings) == ["U1", "U2"]
    assert "待核验单位" in warnings[0].reason
    assert all("匹配或核验" in r.reason for r in JobReview.objects.filter(job__in=_held_jobs()))

    again = sync(source, _feed())  # the next sync finds the same employer; nothing is created twice
    assert (again.created, again.unchanged) == (0, 3)
    assert Employer.objects.filter(name=NAME).count() == 1


@pytest.mark.parametrize(
    "name", ["泓德电子科技（上海）有限公司", "ＡＢＣ 精密（苏州）有限公司", "abc精密(苏州)有限公司"]
)
def test_a_name_with_full_width_characters_is_found_again_not_created_twice(make_source, name):
    """Names are compared NFKC-normalised, so the brackets and letters of "泓德电子科技（上海）有限公司" or
    "ＡＢＣ" match on the next sync (and after an edit) however the feed and the database write them."""
    source = make_source()
    sync(source, jsonld(_unknown("W1", name=name)))
    run = sync(source, jsonld(_unknown("W1", name=name, title="改过的职位名称"), _unknown("W2", name=name)))
    assert (run.created, run.updated, run.unmatched) == (1, 1, 1)
    assert Employer.objects.filter(verification_state=VerificationState.UNMATCHED).count() == 1


def test_staff_match_it_to_the_registered_employer_and_the_vacancies_publish(make_source, jiangsu, client):
    registered = EmployerFactory(name="昆山明德电子科技有限公司", city=city("320500"))
    EmployerFactory(name="无锡华光锅炉股份有限公司", city=city("320200"))
    source = make_source()
    sync(source, _feed())
    placeholder = Employer.objects.get(name=NAME)

    listing = jiangsu.get(QUEUE).content.decode()
    assert NAME in listing
    page = jiangsu.get(f"{QUEUE}{placeholder.pk}/change/").content.decode()
    assert "昆山明德电子科技有限公司" in page and "无锡华光锅炉" not in page  # a candidate, named alike
    assert "SMT工艺工程师" in page and "品质检验员" in page  # what is held back

    response = jiangsu.post(
        f"{QUEUE}{placeholder.pk}/change/", {"decision": "match", "match-target": registered.pk}, follow=True
    )
    assert "2 个职位已发布" in response.content.decode()
    assert not Employer.objects.filter(pk=placeholder.pk).exists()
    assert {(job.employer_id, job.status) for job in _held_jobs()} == {(registered.pk, JobStatus.PUBLISHED)}
    assert "SMT工艺工程师" in client.get("/jobs/", {"q": "昆山明德电子科技"}).content.decode()  # under its name
    assert registered.reviews.get().decision == "matched"
    assert EmployerAlias.objects.get(source=source).employer == registered

    # Later syncs follow the match: a new vacancy under the feed's name goes to the registered employer (held for
    # review, since the source does not represent it: the normal rule), and no placeholder comes back.
    run = sync(source, jsonld(*[*_feed_items(), _unknown("U3", title="设备维护技师")]))
    assert (run.created, run.unmatched) == (1, 0)
    new = JobPosting.objects.get(feed_records__external_id="U3")
    assert (new.employer, new.status) == (registered, JobStatus.PENDING)
    assert not Employer.objects.filter(name=NAME).exists()


def _feed_items():
    return [_unknown("U1", title="SMT工艺工程师"), _unknown("U2", title="品质检验员"), posting("K1")]


def test_staff_verify_it_as_a_new_employer(make_source, jiangsu):
    source = make_source()
    sync(source, _feed())
    placeholder = Employer.objects.get(name=NAME)
    uscc = make_uscc(division="320583", serial="MA1T00777")
    url = f"{QUEUE}{placeholder.pk}/change/"

    bad = jiangsu.post(
        url, {"decision": "verify", "verify-uscc": "91320583MA1T00777X", "verify-name": NAME, "verify-city": "320500"}
    )
    assert bad.status_code == 200 and "校验位" in bad.content.decode()  # a clear message, nothing changed
    taken = EmployerFactory(city=city("320500")).uscc
    clash = jiangsu.post(
        url, {"decision": "verify", "verify-uscc": taken, "verify-name": NAME, "verify-city": "320500"}
    )
    assert "请改为匹配到该单位" in clash.content.decode()
    placeholder.refresh_from_db()
    assert (placeholder.verification_state, placeholder.uscc) == (VerificationState.UNMATCHED, None)

    jiangsu.post(url, {"decision": "verify", "verify-uscc": uscc, "verify-name": NAME, "verify-city": "320500"})
    placeholder.refresh_from_db()
    assert (placeholder.verification_state, placeholder.uscc) == (VerificationState.VERIFIED, uscc)
    assert {job.status for job in _held_jobs()} == {JobStatus.PUBLISHED}
    assert JobPosting.objects.published().filter(employer=placeholder).count() == 2


def test_staff_refuse_it_and_later_records_naming_it_are_rejected(make_source, jiangsu):
    source = make_source()
    sync(source, _feed())
    placeholder = Employer.objects.get(name=NAME)
    url = f"{QUEUE}{placeholder.pk}/change/"
    assert jiangsu.post(url, {"decision": "refuse", "refuse-reason": ""}).status_code == 200  # a reason is needed
    assert Employer.objects.get(pk=placeholder.pk).verification_state == VerificationState.UNMATCHED
    jiangsu.post(url, {"decision": "refuse", "refuse-reason": "非用人单位（中介）"})
    assert Employer.objects.get(pk=placeholder.pk).verification_state == VerificationState.REJECTED
    assert {job.status for job in _held_jobs()} == {JobStatus.REJECTED}
    run = sync(source, jsonld(*_feed_items(), _unknown("U4", title="仓库管理员")))
    assert run.created == 0
    assert "未通过核验" in SyncIssue.objects.get(run=run, record_id="U4").reason


def test_the_queue_is_the_employers_province_and_for_verifying_staff_only(make_source, jiangsu):
    sync(make_source(), _feed())
    placeholder = Employer.objects.get(name=NAME)
    shanghai = Client()
    shanghai.force_login(staff("310000"))
    assert NAME not in shanghai.get(QUEUE).content.decode()
    assert shanghai.get(f"{QUEUE}{placeholder.pk}/change/").status_code == 404
    response = shanghai.post(f"{QUEUE}{placeholder.pk}/change/", {"decision": "refuse", "refuse-reason": "x"})
    assert response.status_code == 404
    no_rights = Client()
    no_rights.force_login(_staff_without_rights())
    assert no_rights.get(QUEUE).status_code == 403
    assert Employer.objects.get(pk=placeholder.pk).verification_state == VerificationState.UNMATCHED
    assert "待匹配单位" in jiangsu.get("/admin/").content.decode()  # on the staff's queues


def _staff_without_rights():
    from tests.factories import StaffFactory, centre

    return StaffFactory(centre=centre("js-talent"))


def test_the_placeholder_cannot_be_verified_without_a_code_elsewhere_in_admin(make_source):
    from employers.services import employer_verify

    sync(make_source(), _feed())
    placeholder = Employer.objects.get(name=NAME)
    with pytest.raises(ApplicationError):
        employer_verify(employer=placeholder, by=staff("320000"))
    with pytest.raises(ApplicationError):
        unmatched_employer_match(employer=placeholder, target=placeholder, by=staff("320000"))


def test_matched_by_another_provinces_staff_the_vacancies_wait_for_the_employers_province(
    make_source, django_capture_on_commit_callbacks
):
    """The feed placed the employer in Jiangsu, but it is the Shanghai company: Jiangsu staff match it; the
    vacancies then wait for Shanghai's staff (the feed does not speak for a Shanghai employer), who are told."""
    shanghai_company = EmployerFactory(name="昆山明德电子（上海）有限公司", city=city("310115"))
    sync(make_source(), _feed())
    placeholder = Employer.objects.get(name=NAME)
    assert shanghai_company in match_candidates(placeholder)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        released = unmatched_employer_match(employer=placeholder, target=shanghai_company, by=staff("320000"))
    assert (released.published, released.held) == (0, 2)
    assert [m.to for m in mail.outbox] == [[shanghai_company.contact_email]] * 2
    assert {job.status for job in _held_jobs()} == {JobStatus.PENDING}
    assert set(JobPosting.objects.moderated_in("310000").filter(status=JobStatus.PENDING)) == set(_held_jobs())
    assert not JobPosting.objects.moderated_in("320000").filter(pk__in=_held_jobs()).exists()


def test_the_demo_feed_fills_the_match_queue(make_source, feed_server):
    """``make run``'s 上海市学生事务中心 demo source: employers named without a code, all waiting to be matched."""
    source = make_source(
        slug="sh-student-demo", centre_slug="sh-student", url=feed_server.url("samples/shanghai-names-only.jsonld")
    )
    run = sync(source)
    assert (run.fetched, run.created, run.held, run.unmatched, run.rejected) == (5, 5, 5, 5, 0)
    assert Employer.objects.filter(verification_state=VerificationState.UNMATCHED).count() == 3
    trader = JobPosting.objects.get(title="外贸业务员")
    assert trader.city_id == "310000" and trader.headcount == 3  # "上海" alone: the province as a place
    intern = JobPosting.objects.get(title="硬件工程师助理（实习）")
    assert (intern.employment_type, intern.experience, intern.headcount) == ("internship", 0, 1)


def test_the_employer_admin_leaves_the_code_to_the_match_queue_and_never_blanks_one(make_source, django_user_model):
    sync(make_source(), _feed())
    placeholder = Employer.objects.get(name=NAME)
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser(email="root@example.cn", password="x" * 12))
    page = admin.get(f"/admin/employers/employer/{placeholder.pk}/change/").content.decode()
    assert 'name="uscc"' not in page  # read-only here
    registered = EmployerFactory(city=city("320500"))
    form = admin.get(f"/admin/employers/employer/{registered.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data |= {"uscc": "", "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0}
    data |= {"reviews-TOTAL_FORMS": 0, "reviews-INITIAL_FORMS": 0}
    response = admin.post(f"/admin/employers/employer/{registered.pk}/change/", data)
    assert response.status_code == 200  # the form again, with the message; no 500
    registered.refresh_from_db()
    assert registered.uscc
