from django.db.models import Count, Q, Sum
from django.views.generic import TemplateView

from employers.models import Employer
from fairs.models import Fair
from jobs.models import JobPosting
from regions.models import Province


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = JobPosting.objects.published()
        totals = published.aggregate(vacancies=Count("id"), positions=Sum("headcount"))
        by_province = dict(
            published.values_list("city__province").annotate(n=Count("id")).values_list("city__province", "n")
        )
        provinces = list(Province.objects.all())
        for province in provinces:
            province.vacancy_count = by_province.get(province.code, 0)
        context.update(
            vacancies=totals["vacancies"] or 0,
            positions=totals["positions"] or 0,
            employers=Employer.objects.verified().count(),
            provinces=provinces,
            fair=Fair.objects.latest_first()
            .annotate(
                employer_count=Count("participations", distinct=True),
                position_count=Sum("participations__positions"),
            )
            .first(),
            latest_jobs=published.with_related().order_by("-published_at", "-id")[:8],
            fresh_count=published.filter(Q(fresh_graduate=True) | Q(employment_type="campus")).count(),
        )
        return context
