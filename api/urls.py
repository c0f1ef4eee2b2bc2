from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .exceptions import not_found

app_name = "api"
urlpatterns = [
    path("jobs/", views.JobListView.as_view(), name="job-list"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    re_path(r"^partner/jobs/(?P<external_id>[\s\S]+)$", views.PartnerJobView.as_view(), name="partner-job"),
    path("jobs/facets/", views.JobFacetsView.as_view(), name="job-facets"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job-detail"),
    path("employers/", views.EmployerListView.as_view(), name="employer-list"),
    path("employers/<int:pk>/", views.EmployerDetailView.as_view(), name="employer-detail"),
    path("provinces/", views.ProvinceListView.as_view(), name="province-list"),
    path("cities/", views.CityListView.as_view(), name="city-list"),
    path("industries/", views.IndustryListView.as_view(), name="industry-list"),
    path("fairs/", views.FairListView.as_view(), name="fair-list"),
    path("fairs/<slug:slug>/", views.FairDetailView.as_view(), name="fair-detail"),
    path("fairs/<slug:slug>/participants/", views.FairParticipantListView.as_view(), name="fair-participants"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", not_found),  # anything else under /api/v1/, newlines included: a JSON 404
]
