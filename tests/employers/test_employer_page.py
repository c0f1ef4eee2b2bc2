"""An employer's public page: profile and open vacancies only; hidden for employers the public must not see."""

import pytest

from jobs.models import JobStatus
from tests.factories import EmployerFactory, JobPostingFactory, centre

pytestmark = pytest.mark.django_db


def test_public_employer_page_lists_only_open_vacancies(client, django_assert_max_num_queries):
    employer = EmployerFactory(name="杭州云帆网络科技有限公司", description="专注SaaS。\n总部位于杭州。")
    JobPostingFactory.create_batch(22, employer=employer, title="前端开发工程师")
    JobPostingFactory(employer=employer, title="已关闭的岗位", status=JobStatus.CLOSED)
    JobPostingFactory(employer=employer, title="草稿岗位", status=JobStatus.DRAFT)
    with django_assert_max_num_queries(6):
        response = client.get(f"/employers/{employer.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "杭州云帆网络科技有限公司" in html and employer.uscc in html
    assert "专注SaaS。<br>总部位于杭州。" in html
    assert "在招职位（22）" in html
    assert "已关闭的岗位" not in html and "草稿岗位" not in html
    assert len(response.context["jobs"]) == 20
    second = client.get(f"/employers/{employer.pk}/?page=2")
    assert len(second.context["jobs"]) == 2
    assert client.get(f"/employers/{employer.pk}/?page=abc").status_code == 200


@pytest.mark.parametrize("state", ["pending", "rejected", "suspended"])
def test_hidden_employers_have_no_public_page(client, state):
    employer = EmployerFactory(verification_state=state)
    assert client.get(f"/employers/{employer.pk}/").status_code == 404


def test_centre_imported_employer_is_public(client):
    employer = EmployerFactory(verification_state="pending", source_centre=centre())
    assert client.get(f"/employers/{employer.pk}/").status_code == 200
