from django.views.generic import DetailView

from fairs.models import Fair
from jobs.views import EmployerJobsMixin

from .models import Employer


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
