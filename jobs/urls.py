from django.urls import path

from . import report_views, views

app_name = "jobs"
urlpatterns = [
    path("", views.JobListView.as_view(), name="list"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/report/", report_views.JobReportView.as_view(), name="report"),
]
