"""schema.org ``JobPosting`` JSON-LD of a vacancy: one builder for the vacancy page, the outbound feed and the API.

It follows Google's job-posting guidelines (required: title, description, datePosted, hiringOrganization,
jobLocation; recommended: validThrough, employmentType, identifier, baseSalary) and carries what our own feed
importer (``feeds.parsers``) reads back, so a partner's copy of our feed rebuilds the same catalogue entries:
- education and experience are objects with a ``name`` in Chinese ("本科", "3年以上") beside the structured
  ``credentialCategory`` / ``monthsOfExperience`` a search engine reads; "no requirement" leaves them out;
- the employer carries its 统一社会信用代码 as ``identifier`` and its ownership class as ``additionalType`` (only
  schema.org properties: ``Organization`` has no ``ownership``);
- a campus vacancy is ``["FULL_TIME", "CAMPUS"]`` (schema.org has no campus value; importers read "campus");
- the salary's exact text (months per year, "以上", 面议) is the MonetaryAmount's ``description``;
- a vacancy open to fresh graduates says so in ``qualifications`` ("2026届毕业生", "应届毕业生").
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Education, EmploymentType

EMPLOYMENT_TYPES = {
    EmploymentType.FULL_TIME: ["FULL_TIME"],
    EmploymentType.PART_TIME: ["PART_TIME"],
    EmploymentType.INTERNSHIP: ["INTERN"],
    EmploymentType.CAMPUS: ["FULL_TIME", "CAMPUS"],
    EmploymentType.CONTRACTOR: ["CONTRACTOR"],
    EmploymentType.TEMPORARY: ["TEMPORARY"],
    EmploymentType.PER_DIEM: ["PER_DIEM"],
    EmploymentType.VOLUNTEER: ["VOLUNTEER"],
    EmploymentType.OTHER: ["OTHER"],
}
# schema.org credentialCategory values that search engines understand.
CREDENTIAL_CATEGORIES = {
    Education.HIGH_SCHOOL: "high school",
    Education.ASSOCIATE: "associate degree",
    Education.BACHELOR: "bachelor degree",
    Education.MASTER: "postgraduate degree",
    Education.DOCTOR: "postgraduate degree",
}
# The Chinese label, fixed whatever the request's language (importers parse it).
EDUCATION_NAMES = {
    Education.HIGH_SCHOOL: "高中/中专",
    Education.ASSOCIATE: "大专",
    Education.BACHELOR: "本科",
    Education.MASTER: "硕士",
    Education.DOCTOR: "博士",
}


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


_PLACEHOLDER = 2_147_483_647


def object_url(view_name: str, pk) -> str:
    """``absolute_url(reverse(view_name, args=[pk]))`` without reversing each time (a feed reverses millions)."""
    return object_url_format(view_name).format(pk)


def object_url_format(view_name: str) -> str:
    """``object_url(view_name, pk)`` with ``{}`` in place of the key: for ``.format(pk)`` over many objects."""
    template = _URL_TEMPLATES.get(view_name)
    if template is None:
        template = _URL_TEMPLATES[view_name] = reverse(view_name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")
    return settings.SITE_URL.rstrip("/") + template


_URL_TEMPLATES: dict[str, str] = {}


def _place(city, street: str = "") -> dict:
    address = {
        "@type": "PostalAddress",
        "addressCountry": "CN",
        "addressRegion": city.province.name,
    }
    if not city.is_province_level:  # a vacancy placed in the province as a whole names no city
        address["addressLocality"] = city.name
    if street:
        address["streetAddress"] = street
    return address


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def job_posting_jsonld(job) -> dict:
    """The JobPosting object of ``job``; load ``employer__city__province``, ``city__province`` and ``industry`` with
    it (``select_related``), or each call costs queries."""
    employer = job.employer
    url = object_url("jobs:detail", job.pk)
    organisation = {
        "@type": "Organization",
        "name": employer.name,
        "identifier": {"@type": "PropertyValue", "propertyID": "USCC", "value": employer.uscc},
        # Our ownership class (state / private / foreign / other), in a property schema.org defines for every Thing.
        "additionalType": employer.ownership,
        "address": _place(employer.city),
        "url": object_url("employers:detail", employer.pk),
    }
    if employer.website:
        organisation["sameAs"] = employer.website
    if employer.logo:
        organisation["logo"] = settings.SITE_URL.rstrip("/") + employer.logo.url
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "@id": url,
        "url": url,
        "identifier": {"@type": "PropertyValue", "name": "长三角人才交流", "value": str(job.pk)},
        "title": job.title,
        "description": job.description or job.title,
        "datePosted": _iso(job.published_at),
        "validThrough": _iso(job.valid_through),
        "employmentType": EMPLOYMENT_TYPES.get(job.employment_type, ["OTHER"]),
        "hiringOrganization": organisation,
        "jobLocation": {"@type": "Place", "address": _place(job.city, job.address)},
        "industry": job.industry.name,
        "totalJobOpenings": job.headcount,
        "directApply": True,
    }
    if job.remote:  # open to applicants of the province it is placed in
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "State", "name": job.city.province.name}
    if job.category:
        data["occupationalCategory"] = job.category
    if job.tags:
        data["jobBenefits"] = " ".join(job.tags.split())
    if job.education:
        data["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": CREDENTIAL_CATEGORIES[job.education],
            "name": EDUCATION_NAMES[job.education],
        }
    if job.experience:
        data["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": job.experience * 12,
            "name": f"{job.experience}年以上",
        }
    salary = base_salary(job)
    if salary:
        data["baseSalary"] = salary
    if job.fresh_graduate:
        data["qualifications"] = f"{job.cohort}届毕业生" if job.cohort else "应届毕业生"
    return {key: value for key, value in data.items() if value is not None}


def salary_description(job) -> str:
    """The salary as exact text our parser reads back: "15000-25000元/月·13薪", "6000元/月以上", "面议", or the
    original text of a salary that could not be parsed; "" when there is none."""
    if job.salary_negotiable:
        return "面议"
    low, high = job.salary_min, job.salary_max
    if low is None and high is None:
        return job.salary_text if job.salary_unparsed else ""
    if low is not None and high is not None:
        text = f"{low}-{high}元/月"
    elif low is not None:
        text = f"{low}元/月以上"
    else:
        text = f"{high}元/月以下"
    return text + (f"·{job.salary_months}薪" if job.salary_months != 12 else "")


def base_salary(job) -> dict | None:
    """schema.org MonetaryAmount: monthly CNY as a QuantitativeValue for search engines, and the exact text in
    ``description`` (months per year, open-ended ranges and 面议 have no schema.org property)."""
    description = salary_description(job)
    if not description:
        return None
    amount: dict = {"@type": "MonetaryAmount", "currency": "CNY", "description": description}
    if not job.salary_negotiable and (job.salary_min is not None or job.salary_max is not None):
        value: dict = {"@type": "QuantitativeValue", "unitText": "MONTH"}
        if job.salary_min is not None:
            value["minValue"] = job.salary_min
        if job.salary_max is not None:
            value["maxValue"] = job.salary_max
        amount["value"] = value
    return amount
