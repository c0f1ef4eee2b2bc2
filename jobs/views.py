from django.core.paginator import Paginator
from django.views.generic import DetailView, TemplateView

from fairs.models import Fair, Participation

from .jsonld import job_posting_jsonld
from .models import JobPosting
from .selectors import job_search, similar_jobs
from .templatetags.jobs_tags import rich_text


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


class JobDetailView(DetailView):
    """Every vacancy keeps its page; a closed or expired one says so, has no apply button and no JSON-LD."""

    template_name = "jobs/job_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        return (
            JobPosting.objects.with_page()
            .with_related()
            .select_related("fair__city", "employer__city__province", "employer__industry", "source")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        # Where the employer exhibits: approved places at listed fairs; the booth only once the fair published it.
        participations = (
            Participation.objects.approved()
            .filter(employer_id=job.employer_id, fair__in=Fair.objects.listed())
            .select_related("fair", "booth")
        )
        if job.fair_id:
            participations = participations.filter(fair_id=job.fair_id)
        else:
            participations = participations.order_by("-fair__starts_on")[:3]
        context["participations"] = list(participations)
        context["similar"] = similar_jobs(job)
        if job.is_open:
            jsonld = job_posting_jsonld(job)
            # The shared builder keeps 面议 as a text-only MonetaryAmount (our feed round-trips it); on the page
            # Google wants baseSalary only with an amount.
            if "value" not in jsonld.get("baseSalary", {}):
                jsonld.pop("baseSalary", None)
            jsonld["description"] = str(rich_text(job.description)) or job.title  # sanitised, as on the page
            context["jsonld"] = jsonld
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
