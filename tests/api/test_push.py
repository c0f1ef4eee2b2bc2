"""Partners push their own vacancies (issue 14, item 5): PUT / DELETE /api/v1/partner/jobs/{external_id} with a key
tied to a feed source, through the pulled feed's pipeline and rules, into the same provenance rows — and every
refusal is a clear JSON answer that writes nothing."""

import json
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError

from api.services import api_key_issue
from feeds.models import FeedRecord, FeedSource, SyncRun
from feeds.services import feed_sync
from jobs.events import events_sequence
from jobs.models import JobPosting, JobStatus, VacancyEvent
from tests.factories import centre
from tests.feeds.feedkit import jsonld, posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(reference_data):
    return FeedSource.objects.create(
        slug="js-push", name="江苏推送", centre=centre("js-talent"), url="http://127.0.0.1:9/none", trust="trusted"
    )


@pytest.fixture
def key(source):
    return api_key_issue(centre=source.centre, name="江苏推送", feed_source=source, by=None)[1]


def put(client, key, external_id, document, **headers):
    body = document if isinstance(document, (bytes, str)) else json.dumps(document, ensure_ascii=False)
    return client.put(
        f"/api/v1/partner/jobs/{quote(external_id, safe='')}",
        body,
        content_type="application/json",
        HTTP_X_API_KEY=key,
        **headers,
    )


def delete(client, key, external_id):
    return client.delete(f"/api/v1/partner/jobs/{quote(external_id, safe='')}", HTTP_X_API_KEY=key)


def test_a_pushed_vacancy_is_published_searchable_and_in_the_other_centres_change_stream(client, key, source):
    events_sequence()
    top = VacancyEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = put(client, key, "JS-0042", posting("JS-0042", title="嵌入式软件工程师（PLC方向）"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome"] == "created" and body["external_id"] == "JS-0042"
    (vacancy,) = body["vacancies"]
    assert vacancy["status"] == "open" and vacancy["title"] == "嵌入式软件工程师（PLC方向）"
    assert vacancy["city"]["code"] == "320500"
    record = FeedRecord.objects.get(source=source)
    assert (record.external_id, record.job_id, record.active) == ("JS-0042", vacancy["id"], True)

    assert "嵌入式软件工程师（PLC方向）" in client.get("/jobs/", {"q": "嵌入式 PLC"}).content.decode()
    other = api_key_issue(centre=centre("sh-talent"), name="上海镜像", by=None)[1]
    changes = client.get("/api/v1/changes/", {"after": top}, HTTP_X_API_KEY=other).json()["results"]
    assert [(c["vacancy_id"], c["kind"]) for c in changes] == [(vacancy["id"], "created")]


def test_the_same_push_again_changes_nothing_and_an_edit_updates(client, key):
    first = put(client, key, "JS-1", posting("JS-1")).json()["vacancies"][0]
    events = VacancyEvent.objects.count()

    again = put(client, key, "JS-1", posting("JS-1"))
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"
    assert VacancyEvent.objects.count() == events

    edited = put(client, key, "JS-1", posting("JS-1", baseSalary="10k-15k"))
    assert edited.status_code == 200 and edited.json()["outcome"] == "updated"
    (vacancy,) = edited.json()["vacancies"]
    assert vacancy["id"] == first["id"] and vacancy["salary"]["min"] == 10000
    assert JobPosting.objects.count() == 1
    assert list(VacancyEvent.objects.filter(job_id=first["id"]).values_list("kind", flat=True)) == [
        "created",
        "changed",
    ]


def test_an_identifier_in_the_body_may_be_left_out_but_must_match(client, key):
    bare = posting("ignored")
    del bare["identifier"]
    assert put(client, key, "JS-2", bare).status_code == 201
    assert FeedRecord.objects.filter(external_id="JS-2").exists()

    response = put(client, key, "JS-3", posting("JS-4"))
    assert response.status_code == 400
    assert "identifier" in response.json()["error"]["details"]
    assert not FeedRecord.objects.filter(external_id__in=["JS-3", "JS-4"]).exists()


def test_several_cities_are_one_vacancy_each_and_a_city_dropped_later_closes(client, key):
    places = [
        {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": city}} for city in ("苏州", "南京")
    ]
    both = put(client, key, "JS-5", posting("JS-5", jobLocation=places)).json()
    assert sorted(v["city"]["code"] for v in both["vacancies"]) == ["320100", "320500"]

    one = put(client, key, "JS-5", posting("JS-5", jobLocation=places[:1])).json()
    assert [v["city"]["code"] for v in one["vacancies"]] == ["320500"]
    nanjing = next(v["id"] for v in both["vacancies"] if v["city"]["code"] == "320100")
    assert JobPosting.objects.get(pk=nanjing).status == JobStatus.CLOSED


def test_delete_closes_it_and_a_later_put_opens_it_again(client, key):
    job_id = put(client, key, "JS-6", posting("JS-6")).json()["vacancies"][0]["id"]

    gone = delete(client, key, "JS-6")
    assert gone.status_code == 200 and gone.json()["outcome"] == "closed"
    assert gone.json()["vacancies"][0]["status"] == "closed"
    assert JobPosting.objects.get(pk=job_id).status == JobStatus.CLOSED
    assert delete(client, key, "JS-6").status_code == 404
    assert delete(client, key, "never-sent").status_code == 404

    back = put(client, key, "JS-6", posting("JS-6"))
    assert back.status_code == 200 and back.json()["vacancies"][0]["status"] == "open"
    kinds = list(VacancyEvent.objects.filter(job_id=job_id).order_by("id").values_list("kind", flat=True))
    assert kinds == ["created", "closed", "shown"]


def test_a_source_under_review_holds_the_vacancy(client, key, source):
    FeedSource.objects.filter(pk=source.pk).update(trust="review")
    response = put(client, key, "JS-7", posting("JS-7", title="注塑工艺工程师"))
    assert response.status_code == 202
    assert response.json()["outcome"] == "held"
    assert response.json()["vacancies"][0]["status"] == "in_review"
    assert "注塑工艺工程师" not in client.get("/jobs/", {"q": "注塑"}).content.decode()


def test_a_pushed_record_and_the_same_record_in_the_pulled_feed_are_one_vacancy(client, key, source):
    job_id = put(client, key, "JS-8", posting("JS-8")).json()["vacancies"][0]["id"]
    run = SyncRun.objects.create(source=source)
    feed_sync(run=run, body=jsonld(posting("JS-8"), posting("JS-9", title="电气工程师")))
    run.refresh_from_db()
    assert run.status == "success", run.error
    assert FeedRecord.objects.filter(source=source, external_id="JS-8").get().job_id == job_id
    assert JobPosting.objects.count() == 2


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (posting("JS-10", title=""), "title"),
        (posting("JS-10", validThrough="2001-01-01"), "validThrough"),
        (posting("JS-10", jobLocation={"@type": "Place", "address": "火星"}), "jobLocation"),
        ({**posting("JS-10"), "hiringOrganization": {"@type": "Organization", "name": ""}}, "hiringOrganization.name"),
        ({"@type": "Organization", "name": "不是职位"}, "@type"),
        ([posting("JS-10")], "@type"),
        (json.dumps("只是一段文字", ensure_ascii=False), "@type"),  # JSON, but a string
    ],
)
def test_a_record_we_cannot_read_is_refused_whole_with_the_property_named(client, key, document, field):
    response = put(client, key, "JS-10", document)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert field in error["details"], error
    assert not JobPosting.objects.exists() and not FeedRecord.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe"])
def test_a_body_that_is_not_json_is_a_400(client, key, body):
    response = put(client, key, "JS-11", body)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400
    assert not JobPosting.objects.exists()


@pytest.mark.parametrize("external_id", ["a@b", "x" * 81, "tab\there", " "])
def test_an_id_we_cannot_store_is_a_400(client, key, external_id):
    response = put(client, key, external_id, posting(external_id))
    assert response.status_code == 400
    assert "external_id" in response.json()["error"]["details"] or "identifier" in response.json()["error"]["details"]
    assert not FeedRecord.objects.exists()


def test_a_body_over_the_limit_is_a_413(client, key, settings):
    settings.API_PUSH_MAX_BYTES = 4096
    response = put(client, key, "JS-12", posting("JS-12", description="<p>" + "五险一金" * 2000 + "</p>"))
    assert response.status_code == 413
    assert not JobPosting.objects.exists()


def test_pushing_needs_a_key_with_push_rights(client, source):
    document = json.dumps(posting("JS-13"))
    anonymous = client.put("/api/v1/partner/jobs/JS-13", document, content_type="application/json")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["status"] == 401
    assert anonymous.headers["WWW-Authenticate"] == "Api-Key"
    read_only = api_key_issue(centre=source.centre, name="只读", by=None)[1]
    assert put(client, read_only, "JS-13", posting("JS-13")).status_code == 403
    assert delete(client, read_only, "JS-13").status_code == 403
    assert put(client, "tfk_00000000_forged", "JS-13", posting("JS-13")).status_code == 401
    assert client.get("/api/v1/partner/jobs/JS-13", HTTP_X_API_KEY=read_only).status_code in (403, 405)
    assert not JobPosting.objects.exists()


def test_a_key_cannot_be_tied_to_another_centres_source(source):
    with pytest.raises(ValidationError):
        api_key_issue(centre=centre("sh-talent"), name="x", feed_source=source, by=None)


def test_a_partner_can_only_withdraw_its_own_records(client, key, source, reference_data):
    job_id = put(client, key, "JS-14", posting("JS-14")).json()["vacancies"][0]["id"]
    other_source = FeedSource.objects.create(
        slug="zj-push", name="浙江推送", centre=centre("zj-talent"), url="http://127.0.0.1:9/none", trust="trusted"
    )
    other = api_key_issue(centre=other_source.centre, name="浙江推送", feed_source=other_source, by=None)[1]
    assert delete(client, other, "JS-14").status_code == 404
    assert JobPosting.objects.get(pk=job_id).status == JobStatus.PUBLISHED


def test_the_push_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/partner/jobs/{external_id}"]
    assert set(operations) >= {"put", "delete"}
    assert {"200", "201", "202", "400"} <= set(operations["put"]["responses"])
