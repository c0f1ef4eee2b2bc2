"""Reads for the employer centre. Everything is scoped to the recruiter's own employer."""

from django.db.models import QuerySet

from .models import Employer, Membership, MembershipStatus


def pending_requests(employer: Employer) -> QuerySet:
    return Membership.objects.filter(employer=employer, status=MembershipStatus.PENDING).select_related("user")


def members_of(employer: Employer) -> QuerySet:
    return Membership.objects.filter(employer=employer).select_related("user").order_by("status", "role", "id")
