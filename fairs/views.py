from django.db.models import Count, Sum
from django.views.generic import DetailView, ListView

from .models import Fair
from .selectors import fair_statistics


class FairListView(ListView):
    template_name = "fairs/fair_list.html"
    context_object_name = "fairs"

    def get_queryset(self):
        return (
            Fair.objects.latest_first()
            .select_related("city")
            .annotate(employer_count=Count("participations"), position_count=Sum("participations__positions"))
        )


class FairDetailView(DetailView):
    template_name = "fairs/fair_detail.html"
    context_object_name = "fair"

    def get_queryset(self):
        return Fair.objects.select_related("city__province")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stats"] = fair_statistics(self.object)
        return context
