from django.views.generic import DetailView

from jobs.models import JobPosting

from .models import Employer


class EmployerDetailView(DetailView):
    """An employer's public page: its profile and open vacancies. Only verified or centre-imported employers."""

    template_name = "employers/employer_detail.html"
    context_object_name = "employer"

    def get_queryset(self):
        return Employer.objects.public().select_related("city__province", "industry")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jobs"] = (
            JobPosting.objects.published().filter(employer=self.object).with_related().order_by("-published_at")[:100]
        )
        return context
