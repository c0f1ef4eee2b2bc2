from django.db.models import Count, Sum
from django.views.generic import TemplateView

from employers.models import Employer
from fairs.models import Fair
from jobs.models import JobPosting
from jobs.selectors import catalogue_figures
from regions.models import Province


class HomeView(TemplateView):
    """The landing page: the catalogue in figures (cached, refreshed by Celery beat), the latest fair and vacancies."""

    template_name = "core/home.html"

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
            fair=Fair.objects.latest_first()
            .annotate(
                employer_count=Count("participations", distinct=True),
                position_count=Sum("participations__positions"),
            )
            .first(),
            latest_jobs=JobPosting.objects.published().with_related().order_by("-published_at", "-id")[:8],
            fresh_count=figures["fresh"],
        )
        return context
