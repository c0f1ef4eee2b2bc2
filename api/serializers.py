"""What the API shows: the public fields of the web pages, nothing more.

Not here on purpose: applications, résumés, employers' contact person, phone and e-mail, verification notes,
rejection reasons, content hashes and partners' record ids. The field declarations document the output for the
OpenAPI schema; ``JobSerializer.to_representation`` builds the same dict by hand, because a partner walking the
catalogue reads a thousand vacancies per page and DRF's generic field machinery would dominate that time.
"""

import functools
from types import SimpleNamespace

from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from employers.models import Employer, EmployerSize, Ownership
from fairs.models import FairState, OrganiserRole
from feeds.parsers import JSONLD_PROPERTIES
from jobs.jsonld import object_url, object_url_format
from jobs.models import Education, EmploymentType, Experience, JobPosting, JobStatus, VacancyEventKind

from . import selectors

PUBLIC_STATUSES = ("open", "closed", "expired", "withdrawn")


def iso(moment, tz=None) -> str:
    return moment.astimezone(tz or timezone.get_current_timezone()).isoformat()


def public_status_of(status: str, valid_through, employer_public: bool, now) -> str:
    """open: visible and can be applied to; closed / expired; withdrawn: no longer public for another reason
    (back under review after an edit, taken down by staff, or its employer suspended)."""
    if status == JobStatus.PUBLISHED:
        if valid_through is not None and valid_through < now:
            return "expired"
        return "open" if employer_public else "withdrawn"
    if status in (JobStatus.CLOSED, JobStatus.EXPIRED):
        return str(status)
    return "withdrawn"


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProvinceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="GB/T 2260 code, e.g. 320000")
    name = serializers.CharField()
    short_name = serializers.CharField()
    name_en = serializers.CharField()


class CitySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="GB/T 2260 code, e.g. 320500 (Shanghai: its districts)")
    name = serializers.CharField()
    name_en = serializers.CharField()
    province = serializers.CharField(source="province_id", help_text="Province code")
    province_level = serializers.BooleanField(
        source="is_province_level",
        help_text="The province itself as a place (code = the province's code): vacancies that name no city",
    )


class IndustrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="GB/T 4754-2017 section, A–T")
    name = serializers.CharField()
    name_en = serializers.CharField()


class EmployerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField(help_text="统一社会信用代码")
    ownership = serializers.ChoiceField(choices=Ownership.choices)
    url = serializers.URLField(help_text="The employer's public page")


class SalarySerializer(serializers.Serializer):
    min = serializers.IntegerField(allow_null=True, help_text="Monthly CNY")
    max = serializers.IntegerField(allow_null=True, help_text="Monthly CNY")
    months = serializers.IntegerField(help_text="Months paid per year (13 = 13薪)")
    negotiable = serializers.BooleanField(help_text="面议")
    text = serializers.CharField(help_text="As shown on the vacancy page")


class FairRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The vacancy's public page")
    status = serializers.ChoiceField(choices=PUBLIC_STATUSES, help_text=public_status_of.__doc__)
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    employer = EmployerRefSerializer()
    province = CodeNameSerializer()
    city = CodeNameSerializer()
    address = serializers.CharField(allow_blank=True)
    industry = CodeNameSerializer()
    category = serializers.CharField(allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField())
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices)
    education = serializers.ChoiceField(
        choices=Education.choices, help_text="Minimum education: 0 any, 1 high school, 2 大专, 3 本科, 4 硕士, 5 博士"
    )
    experience = serializers.ChoiceField(choices=Experience.choices, help_text="Minimum years of experience")
    headcount = serializers.IntegerField()
    salary = SalarySerializer()
    fresh_graduate = serializers.BooleanField(help_text="Open to fresh graduates (应届生)")
    cohort = serializers.IntegerField(allow_null=True, help_text="Graduating class, e.g. 2026 (2026届)")
    remote = serializers.BooleanField(help_text="Can be worked remotely, by applicants of the vacancy's province")
    fair = FairRefSerializer(allow_null=True)
    source_centre = serializers.CharField(
        allow_null=True, help_text="Slug of the partner centre whose feed supplied it; null = posted here"
    )
    published_at = serializers.DateTimeField(allow_null=True)
    valid_through = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(help_text="Use the largest value seen as the next `updated_since`")

    # A withdrawn vacancy's current text has not been (re)approved, so a mirror only learns that it went away.
    TOMBSTONE_FIELDS = ("id", "url", "status", "updated_at")

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if name not in self.TOMBSTONE_FIELDS:
                field.required = False
        return fields

    def to_representation(self, row: dict) -> dict:
        """``row`` is a ``api.selectors.JOB_VALUES`` dict with its names (no model instances: a page can hold 1,000
        rows, and what is the same for all of them is worked out once, in ``_Page``)."""
        page = self._page()
        tz = page.tz
        status = public_status_of(
            row["status"],
            row["valid_through"],
            row["employer_public"],
            page.now,
        )
        url = page.job_url.format(row["id"])
        if status == "withdrawn":
            return {"id": row["id"], "url": url, "status": status, "updated_at": iso(row["updated_at"], tz)}
        return {
            "id": row["id"],
            "url": url,
            "status": status,
            "title": row["title"],
            "description": row["description"],
            "employer": {
                "id": row["employer_id"],
                "name": row["employer__name"],
                "uscc": row["employer__uscc"],
                "ownership": row["employer__ownership"],
                "url": page.employer_url.format(row["employer_id"]),
            },
            "province": {"code": row["city__province_id"], "name": row["city__province__name"]},
            "city": {"code": row["city_id"], "name": row["city__name"]},
            "address": row["address"],
            "industry": {"code": row["industry_id"], "name": row["industry__name"]},
            "category": row["category"],
            "tags": row["tags"].split(),
            "employment_type": row["employment_type"],
            "education": row["education"],
            "experience": row["experience"],
            "headcount": row["headcount"],
            "salary": {
                "min": row["salary_min"],
                "max": row["salary_max"],
                "months": row["salary_months"],
                "negotiable": row["salary_negotiable"],
                "text": page.salary_text(row),
            },
            "fresh_graduate": row["fresh_graduate"],
            "cohort": row["cohort"],
            "remote": row["remote"],
            "fair": {"slug": row["fair__slug"], "name": row["fair__name"]} if row["fair_id"] else None,
            "source_centre": row["source__slug"],
            "published_at": iso(row["published_at"], tz) if row["published_at"] else None,
            "valid_through": iso(row["valid_through"], tz) if row["valid_through"] else None,
            "closed_at": iso(row["closed_at"], tz) if row["closed_at"] else None,
            "updated_at": iso(row["updated_at"], tz),
        }

    def _page(self) -> "_Page":
        # With many=True one child serializer renders every row of the page.
        page = getattr(self, "_page_state", None)
        if page is None:
            page = self._page_state = _Page(self.context.get("now") or timezone.now())
        return page


class _Page:
    """What every vacancy of one response shares: the time its status is judged at, the time zone, the language and
    the URL formats."""

    def __init__(self, now):
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.language = translation.get_language()
        self.job_url = object_url_format("jobs:detail")
        self.employer_url = object_url_format("employers:detail")

    def salary_text(self, row: dict) -> str:
        return _salary_text(self.language, *(row[name] for name in _SALARY_FIELDS))


def salary_display(row: dict) -> str:
    """The vacancy page's salary text (``JobPosting.salary_display``, the one definition) for a values() row."""
    return JobPosting.salary_display.fget(
        SimpleNamespace(**{name: row[name] for name in _SALARY_FIELDS})  # the property reads only these
    )


_SALARY_FIELDS = ("salary_min", "salary_max", "salary_months", "salary_negotiable", "salary_text")


@functools.lru_cache(maxsize=20_000)
def _salary_text(language: str, *salary) -> str:
    """``salary_display``, remembered: the text depends only on these fields and the language, and making it
    (translated, decimals rounded) was the costliest field of a vacancy. A catalogue repeats its salary ranges."""
    with translation.override(language):
        return salary_display(dict(zip(_SALARY_FIELDS, salary, strict=True)))


class EmployerSerializer(serializers.ModelSerializer):
    ownership = serializers.ChoiceField(choices=Ownership.choices)
    size = serializers.ChoiceField(choices=EmployerSize.choices, allow_blank=True)
    industry = CodeNameSerializer()
    city = CodeNameSerializer()
    province = serializers.SerializerMethodField()
    verified = serializers.SerializerMethodField(help_text="Verified by a centre (else imported from a partner feed)")
    url = serializers.SerializerMethodField(help_text="The employer's public page")

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "uscc",
            "ownership",
            "industry",
            "province",
            "city",
            "size",
            "website",
            "address",
            "description",
            "verified",
            "url",
        ]

    def get_province(self, employer) -> CodeNameSerializer:
        return {"code": employer.city.province.code, "name": employer.city.province.name}

    def get_verified(self, employer) -> bool:
        return employer.is_verified

    def get_url(self, employer) -> str:
        return object_url("employers:detail", employer.pk)


class FairOrganiserSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=OrganiserRole.choices, help_text="host 主办, organiser 承办, supporter 协办")
    name = serializers.CharField()
    centre = serializers.CharField(allow_null=True, help_text="Slug of the partner centre, when it is one")

    def to_representation(self, organiser) -> dict:
        return {
            "role": organiser.role,
            "name": organiser.name,
            "centre": organiser.centre.slug if organiser.centre else None,
        }


class FairCountersSerializer(serializers.Serializer):
    registered = serializers.IntegerField(help_text="Graduates holding a place")
    waitlisted = serializers.IntegerField(help_text="Graduates on the waitlist")
    checked_in = serializers.IntegerField(help_text="Graduates admitted at the door")
    applications = serializers.IntegerField(help_text="Applications made at the fair's booths or through its guide")


class FairSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    edition = serializers.IntegerField(allow_null=True)
    state = serializers.ChoiceField(choices=FairState.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    # RFC 3339 times carry their offset; Asia/Shanghai is UTC+8 all year.
    opens_at = serializers.TimeField(format="%H:%M:%S+08:00", help_text="Daily opening time (Beijing time)")
    closes_at = serializers.TimeField(format="%H:%M:%S+08:00", help_text="Daily closing time (Beijing time)")
    venue = serializers.CharField()
    address = serializers.CharField(allow_blank=True)
    city = CodeNameSerializer()
    organisers = FairOrganiserSerializer(many=True, source="organisers.all")
    description = serializers.CharField(allow_blank=True)
    employer_registration_closes = serializers.DateTimeField(allow_null=True)
    graduate_registration_opens = serializers.DateTimeField(allow_null=True)
    graduate_registration_closes = serializers.DateTimeField(allow_null=True)
    graduate_capacity = serializers.IntegerField(allow_null=True, help_text="null: no limit")
    exhibitors_published = serializers.BooleanField(help_text="Whether the exhibitor list and booths are public")
    employers = serializers.IntegerField(source="employer_count", help_text="Approved exhibitors")
    positions = serializers.IntegerField(source="position_count", help_text="Positions (headcount) offered")
    counters = serializers.SerializerMethodField(help_text="Counts only, never personal data")

    @extend_schema_field(FairCountersSerializer)
    def get_counters(self, fair) -> dict:
        return {
            "registered": fair.registered_count,
            "waitlisted": fair.waitlisted_count,
            "checked_in": fair.checked_in_count,
            "applications": fair.application_count,
        }


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    booth = serializers.CharField(allow_null=True, help_text="Booth code; null until one is allocated")
    zone = CodeNameSerializer(allow_null=True)
    positions = serializers.IntegerField()
    province = CodeNameSerializer(help_text="The employer's own province")
    industry = CodeNameSerializer()
    employer = EmployerRefSerializer()

    def to_representation(self, participation) -> dict:
        employer = participation.employer
        booth = participation.booth
        return {
            "id": participation.pk,
            "booth": booth.code if booth else None,
            "zone": {"code": booth.zone.code, "name": booth.zone.name} if booth else None,
            "positions": participation.positions,
            "province": {"code": employer.city.province_id, "name": employer.city.province.name},
            "industry": {"code": employer.industry_id, "name": employer.industry.name},
            "employer": {
                "id": employer.pk,
                "name": employer.name,
                "uscc": employer.uscc,
                "ownership": employer.ownership,
                "url": object_url("employers:detail", employer.pk),
            },
        }


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The parameter value that selects this option, e.g. `province=320000`")
    label = serializers.CharField()
    count = serializers.IntegerField(
        allow_null=True,
        help_text="Vacancies this option would give under the other filters (education: that level or less); "
        "null when an estimate's sample did not see it",
    )
    selected = serializers.BooleanField(help_text="This option's filter is active")


class FacetsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Vacancies matching the query")
    estimated = serializers.BooleanField(
        help_text="The counts are estimated from a sample (broad queries over a large catalogue), as on the page"
    )
    facets = serializers.DictField(
        child=FacetValueSerializer(many=True),
        help_text="Options with matches per facet, as the search page shows them: province, city (once a province "
        "or city is chosen), industry, ownership, education, type",
    )


class ChangeSerializer(serializers.Serializer):
    seq = serializers.IntegerField(help_text="Position in the stream; pass the last one you applied as `after`")
    vacancy_id = serializers.IntegerField(source="job_id")
    kind = serializers.ChoiceField(
        choices=VacancyEventKind.choices,
        help_text="created, changed, shown (public again), closed, expired, hidden (no longer public)",
    )
    at = serializers.DateTimeField()
    vacancy = JobSerializer(
        help_text="The vacancy as it is now (not as it was at the event): apply it whole. "
        "Not open (`status` other than open): only id, url, status and updated_at — remove it from your mirror."
    )


class ChangesSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    last_seq = serializers.IntegerField(help_text="The `seq` of the last result (or your `after` when none)")
    next = serializers.URLField(allow_null=True, help_text="The next page; null when you are up to date")


def changes_data(events, *, now) -> list[dict]:
    """``ChangeSerializer`` data for ``events`` (in their order), each with the vacancy as it is now — what the
    change stream pages and what a webhook delivery carries."""
    rows = {row["id"]: row for row in selectors.job_rows({event.job_id for event in events})}
    changes = []
    for event in events:
        row = rows.get(event.job_id)
        changes.append(
            {
                "seq": event.seq,
                "vacancy_id": event.job_id,
                "kind": event.kind,
                "at": event.at,
                "vacancy": JobSerializer(row, context={"now": now}).data
                if row
                else {"id": event.job_id, "status": "withdrawn"},
            }
        )
    return changes


class PushWarningSerializer(serializers.Serializer):
    property = serializers.CharField(help_text="The schema.org property the warning is about")
    reason = serializers.CharField()
    value = serializers.CharField(allow_blank=True)


class PushedVacancySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField(
        help_text="open, closed, expired or withdrawn (as in the catalogue), or in_review while staff review it"
    )
    url = serializers.URLField(required=False, help_text="Its public page, once it has been public")


class PushResultSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["created", "held", "updated", "unchanged", "closed"])
    vacancies = PushedVacancySerializer(
        many=True,
        help_text="The catalogue vacancies the record is (one per city when it lists several); an open one as "
        "`/jobs/{id}/` returns it",
    )
    warnings = PushWarningSerializer(many=True)


def push_result_data(result, *, external_id: str, now) -> dict:
    """A push's answer: the outcome, each vacancy as the catalogue shows it (or ``in_review``), the warnings."""
    rows = {row["id"]: row for row in selectors.job_rows({job.pk for job in result.jobs})}
    vacancies = []
    for job in result.jobs:
        if job.status == JobStatus.PENDING:
            vacancies.append({"id": job.pk, "status": "in_review"})
        elif job.pk in rows:
            vacancies.append(JobSerializer(rows[job.pk], context={"now": now}).data)
        else:
            vacancies.append({"id": job.pk, "status": "withdrawn"})
    warnings = [
        {"property": JSONLD_PROPERTIES.get(w.field, w.field), "reason": str(w.reason), "value": w.value}
        for w in result.warnings
    ]
    return {"external_id": external_id, "outcome": result.outcome, "vacancies": vacancies, "warnings": warnings}
