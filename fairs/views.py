from django.db.models import Count, Sum
from django.views.generic import DetailView, ListView

from .charts import fair_charts
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
        stats = context["stats"] = fair_statistics(self.object)
        context["charts"] = fair_charts(self.object, stats)
        context["share_c_plus_i"] = f"{stats['share_c_plus_i'] * 100:.1f}%"
        host = self.object.city.province_id
        visiting = [value for code, value in stats["by_province"].items() if code != host]
        context["visiting"] = {
            "employers": sum(value["employers"] for value in visiting),
            "positions": sum(value["positions"] for value in visiting),
        }
        return context
