from django.views.generic import DetailView, ListView

from .models import JobPosting


class JobListView(ListView):
    """The catalogue, newest first (the full search page replaces this listing)."""

    template_name = "jobs/job_list.html"
    context_object_name = "jobs"
    paginate_by = 20

    def get_queryset(self):
        return JobPosting.objects.published().with_related().order_by("-published_at", "-id")


class JobDetailView(DetailView):
    """Every vacancy keeps its page; a closed or expired one says so and cannot be applied to."""

    template_name = "jobs/job_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        return JobPosting.objects.with_related().select_related("fair").exclude(status__in=["draft", "pending"])
