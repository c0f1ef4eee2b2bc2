"""Reads for the employer centre. Everything is scoped to the recruiter's own employer."""

from django.db.models import Count, Q, QuerySet

from jobs.models import Application, ApplicationStatus, JobPosting

from .models import Employer, Membership, MembershipStatus


def centre_jobs(employer: Employer) -> QuerySet:
    """The employer's vacancies, newest first, with applicant counts."""
    return (
        JobPosting.objects.filter(employer=employer)
        .select_related("city__province")
        .annotate(
            applicant_count=Count("applications", filter=~Q(applications__status=ApplicationStatus.WITHDRAWN)),
            new_count=Count("applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)),
        )
        .order_by("-updated_at", "-id")
    )


def applicants_of(job: JobPosting) -> QuerySet:
    """A vacancy's applications, newest first, with the graduate's profile (one query, no N+1)."""
    return Application.objects.filter(job=job).select_related("graduate__profile", "job").order_by("-created_at", "-id")


def pending_requests(employer: Employer) -> QuerySet:
    return Membership.objects.filter(employer=employer, status=MembershipStatus.PENDING).select_related("user")


def members_of(employer: Employer) -> QuerySet:
    return Membership.objects.filter(employer=employer).select_related("user").order_by("status", "role", "id")
