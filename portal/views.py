"""The home page: the catalogue in figures, the featured fair and the latest vacancies."""

from django.db.models import Count, Q, Sum
from django.views.generic import TemplateView

from employers.models import Employer
from fairs.models import ExhibitorStatus, Fair, FairState
from jobs.models import JobPosting
from jobs.selectors import catalogue_figures
from regions.models import Province


def _featured_fair():
    """The next fair people can take part in (soonest first), else the latest that took place."""
    approved = Q(participations__status=ExhibitorStatus.APPROVED)
    fairs = Fair.objects.listed().annotate(
        employer_count=Count("participations", filter=approved),
        position_count=Sum("participations__positions", filter=approved),
    )
    return fairs.exclude(state=FairState.FINISHED).order_by("starts_on", "id").first() or fairs.latest_first().first()


class HomeView(TemplateView):
    """The landing page: the catalogue in figures (cached, refreshed by Celery beat), the latest fair and vacancies."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = catalogue_figures()
        provinces = list(Province.objects.all())
        for province in provinces:
            province.vacancy_count = figures["by_province"].get(province.code, 0)
        context.update(
            vacancies=figures["vacancies"],
            positions=figures["positions"],
            employers=Employer.objects.verified().count(),
            provinces=provinces,
            fair=_featured_fair(),
            latest_jobs=JobPosting.objects.published().with_related().order_by("-published_at", "-id")[:8],
            fresh_count=figures["fresh"],
        )
        return context
