import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from employers.models import Employer, Membership, MembershipStatus, VerificationState
from employers.uscc import make_uscc
from jobs.models import Application, ApplicationStatus, JobPosting, JobStatus
from jobs.services import application_apply
from tests.accounts.helpers import make_graduate, make_recruiter
from tests.factories import EmployerFactory, JobPostingFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID_USCC = "91310000132149237G"


def register_data(**overrides):
    data = {
        "name": "上海示例软件有限公司",
        "uscc": VALID_USCC,
        "ownership": "private",
        "industry": "I",
        "city": "310115",
        "size": "100-499",
        "contact_name": "张经理",
        "contact_phone": "021-12345678",
        "contact_email": "hr@example.cn",
    }
    data.update(overrides)
    return data


def job_data(**overrides):
    data = {
        "title": "Java开发工程师",
        "employment_type": "full_time",
        "city": "310115",
        "industry": "I",
        "education": "3",
        "experience": "0",
        "headcount": "3",
        "salary_min": "12000",
        "salary_max": "18000",
        "salary_months": "13",
        "description": "负责后端服务开发。" * 20,
    }
    data.update(overrides)
    return data


# --- registration and joining --------------------------------------------------------------------------------


def test_recruiter_registers_an_organisation_which_starts_pending(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("employers:register"), register_data(uscc=" 91310000132149237g "))
    assert response.status_code == 302
    employer = Employer.objects.get()
    assert employer.uscc == VALID_USCC
    assert employer.verification_state == VerificationState.PENDING
    assert Membership.objects.get(user=user).role == "owner"
    page = client.get(reverse("employers:centre")).content.decode()
    assert "等待审核" in page


@pytest.mark.parametrize(
    ("uscc", "message"),
    [("91310000132149237A", "校验位"), ("9131000013214923", "18位"), ("91310000132149237I", "无效")],
)
def test_bad_uscc_is_refused_with_a_clear_message(client, uscc, message):
    client.force_login(UserFactory())
    response = client.post(reverse("employers:register"), register_data(uscc=uscc))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Employer.objects.exists() and not Membership.objects.exists()


def test_registering_an_existing_uscc_points_to_joining(client):
    EmployerFactory(uscc=VALID_USCC)
    client.force_login(UserFactory())
    response = client.post(reverse("employers:register"), register_data())
    assert response.status_code == 400
    assert "申请加入" in response.content.decode()
    assert Employer.objects.count() == 1


def test_uscc_registered_in_another_province_is_accepted_and_flagged(client):
    client.force_login(UserFactory())
    code = make_uscc(division="320500", serial="MA1PQR001")  # registered in Suzhou, office in Pudong
    client.post(reverse("employers:register"), register_data(uscc=code))
    assert Employer.objects.filter(uscc=code).exists()
    assert "登记机关不在单位所在省份" in client.get(reverse("employers:centre")).content.decode()


def test_join_by_uscc_and_owner_approves(client):
    employer = EmployerFactory(uscc=VALID_USCC)
    owner = make_recruiter(employer)
    joiner = UserFactory()
    client.force_login(joiner)
    client.post(reverse("employers:join"), {"uscc": VALID_USCC.lower()})
    membership = Membership.objects.get(user=joiner)
    assert membership.status == MembershipStatus.PENDING
    assert "等待该单位管理员批准" in client.get(reverse("employers:centre")).content.decode()
    # a pending member cannot reach the vacancies
    assert client.get(reverse("employers:job_create")).status_code == 302
    # another recruiter of the employer (not the owner) cannot decide
    helper = make_recruiter(employer, role="recruiter")
    client.force_login(helper)
    assert (
        client.post(reverse("employers:member_decide", args=[membership.pk]), {"decision": "approve"}).status_code
        == 403
    )
    client.force_login(owner)
    client.post(reverse("employers:member_decide", args=[membership.pk]), {"decision": "approve"})
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_owner_of_b_cannot_decide_requests_for_a(client):
    employer_a = EmployerFactory()
    make_recruiter(employer_a)
    request = Membership.objects.create(employer=employer_a, user=UserFactory(), status=MembershipStatus.PENDING)
    client.force_login(make_recruiter(EmployerFactory()))
    response = client.post(reverse("employers:member_decide", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == MembershipStatus.PENDING


def test_join_with_unknown_uscc_is_refused(client):
    client.force_login(UserFactory())
    response = client.post(reverse("employers:join"), {"uscc": VALID_USCC})
    assert response.status_code == 400
    assert "没有找到" in response.content.decode()
    assert not Membership.objects.exists()


@pytest.mark.parametrize(("state", "text"), [("rejected", "认证未通过"), ("suspended", "单位已被暂停")])
def test_state_page_shows_the_reason(client, state, text):
    employer = EmployerFactory(verification_state=state, verification_reason="营业执照照片不清晰")
    client.force_login(make_recruiter(employer))
    page = client.get(reverse("employers:centre")).content.decode()
    assert text in page and "营业执照照片不清晰" in page


# --- vacancies ------------------------------------------------------------------------------------------------


def test_create_draft_then_submit_a_vacancy(client):
    employer = EmployerFactory()
    client.force_login(make_recruiter(employer))
    response = client.post(reverse("employers:job_create"), job_data())
    assert response.status_code == 302
    job = JobPosting.objects.get()
    assert (job.status, job.employer, job.salary_min, job.salary_months) == (JobStatus.DRAFT, employer, 12000, 13)
    client.post(reverse("employers:job_action", args=[job.pk, "submit"]))
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING


def test_save_and_submit_in_one_go_for_a_trusted_employer_publishes(client):
    employer = EmployerFactory(is_trusted=True)
    client.force_login(make_recruiter(employer))
    client.post(reverse("employers:job_create"), {**job_data(), "submit": "1"})
    assert JobPosting.objects.get().status == JobStatus.PUBLISHED


def test_unverified_employer_saves_drafts_but_cannot_submit(client):
    employer = EmployerFactory(verification_state="pending")
    client.force_login(make_recruiter(employer))
    client.post(reverse("employers:job_create"), {**job_data(), "submit": "1"})
    job = JobPosting.objects.get()
    assert job.status == JobStatus.DRAFT
    response = client.post(reverse("employers:job_action", args=[job.pk, "submit"]), follow=True)
    assert "认证后才能提交" in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"salary_min": "20000", "salary_max": "10000"}, "上限不能低于下限"),
        ({"salary_min": "", "salary_max": ""}, "薪资面议"),
        ({"title": ""}, "这个字段是必填项"),
        ({"city": "999999"}, "选择一个有效的选项"),
        ({"valid_until": "2000-01-01"}, "有效期不能早于今天"),
    ],
)
def test_bad_vacancy_input_gets_a_clear_message_and_saves_nothing(client, overrides, field_message):
    client.force_login(make_recruiter(EmployerFactory()))
    response = client.post(reverse("employers:job_create"), job_data(**overrides))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not JobPosting.objects.exists()


def test_valid_through_over_180_days_is_refused(client):
    client.force_login(make_recruiter(EmployerFactory()))
    until = (timezone.localdate() + timedelta(days=365)).isoformat()
    response = client.post(reverse("employers:job_create"), job_data(valid_until=until))
    assert response.status_code == 400
    assert "180" in response.content.decode()


def test_typo_fix_keeps_a_published_vacancy_published_but_a_new_salary_sends_it_back(client):
    employer = EmployerFactory()
    client.force_login(make_recruiter(employer))
    job = JobPostingFactory(employer=employer, description="负责后端服务开发，参与系统设计。" * 10)
    form = job_data(
        title=job.title,
        salary_min=str(job.salary_min),
        salary_max=str(job.salary_max),
        salary_months="12",
        headcount="2",
        description=job.description.replace("参与", "参加", 1),
    )
    client.post(reverse("employers:job_edit", args=[job.pk]), form)
    job.refresh_from_db()
    assert job.status == JobStatus.PUBLISHED
    response = client.post(reverse("employers:job_edit", args=[job.pk]), {**form, "salary_max": "30000"}, follow=True)
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    assert "重新审核" in response.content.decode()


def test_close_and_renew(client):
    employer = EmployerFactory()
    client.force_login(make_recruiter(employer))
    job = JobPostingFactory(employer=employer)
    client.post(reverse("employers:job_action", args=[job.pk, "close"]))
    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED
    client.post(reverse("employers:job_action", args=[job.pk, "renew"]))
    job.refresh_from_db()
    assert job.status == JobStatus.PUBLISHED and job.valid_through > timezone.now() + timedelta(days=59)


# --- applicants and export ------------------------------------------------------------------------------------


def test_applicants_newest_first_with_profile_and_bounded_queries(client, django_assert_max_num_queries):
    employer = EmployerFactory()
    job = JobPostingFactory(employer=employer)
    names = []
    for index in range(6):
        graduate = make_graduate()
        from accounts.services import profile_update

        profile_update(user=graduate, name=f"申请人{index}", mobile="13812345678", school="浙江大学")
        application_apply(job=job, graduate=graduate)
        names.append(f"申请人{index}")
    client.force_login(make_recruiter(employer))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("employers:applicants", args=[job.pk])).content.decode()
    positions = [page.index(name) for name in reversed(names)]
    assert positions == sorted(positions), "newest first"
    assert "浙江大学" in page and "下载简历" in page


def test_csv_export_is_utf8_with_bom_and_safe_for_excel(client):
    employer = EmployerFactory()
    job = JobPostingFactory(employer=employer)
    graduate = make_graduate()
    application_apply(job=job, graduate=graduate, cover_note='=HYPERLINK("http://evil")')
    client.force_login(make_recruiter(employer))
    response = client.get(reverse("employers:applicants_csv", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["姓名", "电子邮箱", "手机号码"]
    assert rows[1][0] == "王小明" and rows[1][2] == "13812345678" and rows[1][7] == "已投递"
    assert rows[1][9].startswith("'=")


# --- authorisation: employer A's recruiter against employer B's things ---------------------------------------


@pytest.fixture
def b_world():
    employer_b = EmployerFactory()
    job_b = JobPostingFactory(employer=employer_b, title="B单位的职位")
    application_b = application_apply(job=job_b, graduate=make_graduate())
    return employer_b, job_b, application_b


def test_recruiter_of_a_cannot_touch_anything_of_b(client, b_world):
    _employer_b, job_b, application_b = b_world
    recruiter_a = make_recruiter(EmployerFactory())
    client.force_login(recruiter_a)
    for url in (
        reverse("employers:job_edit", args=[job_b.pk]),
        reverse("employers:applicants", args=[job_b.pk]),
        reverse("employers:applicants_csv", args=[job_b.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (reverse("employers:job_edit", args=[job_b.pk]), job_data()),
        (reverse("employers:job_action", args=[job_b.pk, "close"]), {}),
        (reverse("employers:job_action", args=[job_b.pk, "renew"]), {}),
        (reverse("employers:job_action", args=[job_b.pk, "submit"]), {}),
        (reverse("employers:application_move", args=[application_b.pk]), {"status": "rejected"}),
    ):
        assert client.post(url, data).status_code == 404, url
    job_b.refresh_from_db()
    application_b.refresh_from_db()
    assert (job_b.status, job_b.title) == (JobStatus.PUBLISHED, "B单位的职位")
    assert application_b.status == ApplicationStatus.SUBMITTED
    assert "B单位的职位" not in client.get(reverse("employers:centre")).content.decode()


def test_graduate_without_membership_cannot_use_the_centre(client, b_world):
    _employer_b, job_b, application_b = b_world
    client.force_login(application_b.graduate)
    for url in (reverse("employers:applicants", args=[job_b.pk]), reverse("employers:applicants_csv", args=[job_b.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("employers:centre")
    response = client.post(reverse("employers:application_move", args=[application_b.pk]), {"status": "offer"})
    assert response.status_code == 302
    assert Application.objects.get(pk=application_b.pk).status == ApplicationStatus.SUBMITTED


def test_anonymous_is_sent_to_log_in_everywhere_in_the_centre(client, b_world):
    _employer_b, job_b, application_b = b_world
    login = reverse("account_login")
    for url in (
        reverse("employers:centre"),
        reverse("employers:register"),
        reverse("employers:job_create"),
        reverse("employers:job_edit", args=[job_b.pk]),
        reverse("employers:applicants", args=[job_b.pk]),
        reverse("employers:applicants_csv", args=[job_b.pk]),
        reverse("employers:members"),
        reverse("accounts:profile"),
        reverse("accounts:saved_jobs"),
        reverse("accounts:searches"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url
    response = client.post(reverse("employers:application_move", args=[application_b.pk]), {"status": "offer"})
    assert response["Location"].startswith(login)


def test_members_page_is_for_owners_only(client):
    employer = EmployerFactory()
    client.force_login(make_recruiter(employer, role="recruiter"))
    assert client.get(reverse("employers:members")).status_code == 403
