"""schema.org ``JobPosting`` JSON-LD for a vacancy page (Google's required and recommended properties)."""

from django.conf import settings
from django.urls import reverse

from .models import Education, EmploymentType, JobPosting
from .templatetags.jobs_tags import rich_text

EMPLOYMENT_TYPES = {
    EmploymentType.FULL_TIME: ["FULL_TIME"],
    EmploymentType.INTERNSHIP: ["INTERN"],
    EmploymentType.PART_TIME: ["PART_TIME"],
    EmploymentType.CAMPUS: ["FULL_TIME"],  # campus hiring: full-time posts for a graduating cohort
}
# Google's credentialCategory values.
CREDENTIALS = {
    Education.HIGH_SCHOOL: "high school",
    Education.ASSOCIATE: "associate degree",
    Education.BACHELOR: "bachelor degree",
    Education.MASTER: "postgraduate degree",
    Education.DOCTOR: "postgraduate degree",
}


def job_posting_jsonld(job: JobPosting, *, absolute) -> dict:
    """The JSON-LD of an open vacancy; ``absolute(path)`` makes a URL absolute (e.g. request.build_absolute_uri)."""
    employer = job.employer
    city = job.city
    organisation = {
        "@type": "Organization",
        "name": employer.name,
        "sameAs": employer.website or absolute(reverse("employers:detail", args=[employer.pk])),
        "identifier": {"@type": "PropertyValue", "propertyID": "统一社会信用代码", "value": employer.uscc},
    }
    address = {
        "@type": "PostalAddress",
        "addressRegion": city.province.name,
        "addressLocality": city.name,
        "addressCountry": "CN",
    }
    if job.address:
        address["streetAddress"] = job.address
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": str(rich_text(job.description)) or job.title,
        "identifier": {"@type": "PropertyValue", "name": settings.SITE_NAME, "value": str(job.pk)},
        "url": absolute(reverse("jobs:detail", args=[job.pk])),
        "datePosted": (job.published_at or job.created_at).date().isoformat(),
        "hiringOrganization": organisation,
        "jobLocation": {"@type": "Place", "address": address},
        "employmentType": EMPLOYMENT_TYPES.get(job.employment_type, ["OTHER"]),
        "directApply": job.is_open,
        "industry": job.industry.name,
        "totalJobOpenings": job.headcount,
    }
    if job.valid_through:
        data["validThrough"] = job.valid_through.isoformat()
    if job.education == Education.ANY:
        data["educationRequirements"] = "no requirements"
    else:
        data["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": CREDENTIALS[job.education],
        }
    if job.experience:
        data["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": job.experience * 12,
        }
    else:
        data["experienceRequirements"] = "no requirements"
    salary = _base_salary(job)
    if salary:
        data["baseSalary"] = salary
    return data


def _base_salary(job: JobPosting) -> dict | None:
    """Monthly CNY, only when the amount is known (never for 面议 or unparsed text)."""
    if job.salary_negotiable or (job.salary_min is None and job.salary_max is None):
        return None
    value: dict = {"@type": "QuantitativeValue", "unitText": "MONTH"}
    if job.salary_min is not None and job.salary_max is not None and job.salary_min != job.salary_max:
        value["minValue"] = job.salary_min
        value["maxValue"] = job.salary_max
    elif job.salary_min is not None and job.salary_max is None:
        value["minValue"] = job.salary_min
    elif job.salary_min is None:
        value["maxValue"] = job.salary_max
    else:
        value["value"] = job.salary_min
    return {"@type": "MonetaryAmount", "currency": "CNY", "value": value}
