from django.core.paginator import Paginator
from django.views.generic import TemplateView

from .models import JobPosting
from .selectors import job_search


class JobSearchView(TemplateView):
    """The search page: every result page is a shareable GET URL; bad parameters are ignored with a message."""

    template_name = "jobs/job_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        search = job_search(params, page=params.get("page"))
        context["search"] = search
        context["jobs"] = search.jobs
        context["form"] = search.form
        context["query_string"] = search.query_string
        return context


class EmployerJobsMixin:
    """An employer's open vacancies, paginated (used by the employer page)."""

    jobs_per_page = 20

    def employer_jobs(self, employer):
        queryset = (
            JobPosting.objects.published()
            .filter(employer=employer)
            .with_related()
            .defer("description", "search_vector")
        )
        return Paginator(queryset.order_by("-published_at", "-id"), self.jobs_per_page).get_page(
            self.request.GET.get("page")
        )
