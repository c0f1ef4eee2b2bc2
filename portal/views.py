"""Pages that bring the apps together: the home page, where a login lands, a vacancy's and an employer's public
pages (with the fairs they take part in), and applying (from a fair's guide too)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from employers.models import Employer, Membership
from fairs.models import ExhibitorStatus, Fair, FairState, Participation
from jobs import services as job_services
from jobs.jsonld import job_posting_jsonld
from jobs.models import JobPosting
from jobs.selectors import catalogue_figures, similar_jobs
from jobs.templatetags.jobs_tags import rich_text
from jobs.views import EmployerJobsMixin
from regions.models import Province
from talentfair.core.errors import ApplicationError


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


class DashboardView(LoginRequiredMixin, View):
    """Where login lands: recruiters go to the employer centre, everyone else to their applications."""

    def get(self, request):
        if Membership.objects.filter(user=request.user).exists():
            return redirect("employers:centre")
        return redirect("accounts:applications")


class EmployerDetailView(EmployerJobsMixin, DetailView):
    """An employer's public page: its profile and open vacancies. Only verified or centre-imported employers."""

    template_name = "employers/employer_detail.html"
    context_object_name = "employer"

    def get_queryset(self):
        return Employer.objects.public().select_related("city__province", "industry")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.employer_jobs(self.object)
        context["page_obj"] = page
        context["jobs"] = page.object_list
        context["participations"] = list(
            self.object.participations.approved()
            .filter(fair__in=Fair.objects.listed())
            .select_related("fair", "booth")
            .order_by("-fair__starts_on")[:5]
        )
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


class ApplyView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        job = get_object_or_404(JobPosting.objects.with_page(), pk=pk)
        detail = reverse("jobs:detail", args=[job.pk])
        # Applied from a fair's guide: the application counts for that fair, and the graduate goes back there.
        fair = Fair.objects.exclude(state="draft").filter(slug=request.POST.get("fair", "")[:80]).first()
        try:
            job_services.application_apply(
                job=job, graduate=request.user, cover_note=request.POST.get("cover_note", ""), fair=fair
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            if error.extra.get("missing"):
                return redirect(reverse("accounts:profile") + f"?next={detail}")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("申请已投递，招聘单位会收到通知。可在“我的申请”查看进度。"))
            if fair is not None:
                return redirect("fairs:guide", slug=fair.slug)
        return redirect(detail + "#apply")
