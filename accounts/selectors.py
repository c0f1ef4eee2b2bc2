"""Reads for the graduate's pages and the résumé access rule."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from employers.models import MembershipStatus
from jobs.models import Application, ApplicationEvent, ApplicationStatus, SavedJob, SavedSearch

from .models import GraduateProfile


def applications_of(user: User) -> QuerySet:
    """The graduate's applications, newest first, with vacancy, employer and status history."""
    return (
        Application.objects.filter(graduate=user)
        .select_related("job__employer", "job__city__province")
        .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id")))
        .order_by("-created_at", "-id")
    )


def saved_jobs_of(user: User) -> QuerySet:
    return SavedJob.objects.filter(user=user).select_related("job__employer", "job__city__province")


def saved_searches_of(user: User) -> QuerySet:
    return SavedSearch.objects.filter(user=user)


def can_read_resume(*, viewer: User, profile: GraduateProfile) -> bool:
    """The owner, or an active recruiter of an employer the graduate applied to (and did not withdraw from)."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == profile.user_id:
        return True
    return (
        Application.objects.filter(
            graduate_id=profile.user_id,
            job__employer__memberships__user=viewer,
            job__employer__memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exists()
    )
