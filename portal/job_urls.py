"""The vacancy pages (namespace ``jobs``): search, a vacancy's page, applying, saving, reporting, alerts."""

from django.urls import path

from jobs import application_views, report_views
from jobs import views as job_views

from . import views

app_name = "jobs"
urlpatterns = [
    path("", job_views.JobSearchView.as_view(), name="list"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/report/", report_views.JobReportView.as_view(), name="report"),
    path("<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("<int:pk>/save/", application_views.SaveJobView.as_view(), name="save"),
    path("alerts/save/", application_views.SaveSearchView.as_view(), name="alert_save"),
    path("alerts/unsubscribe/<str:token>/", application_views.AlertUnsubscribeView.as_view(), name="alert_unsubscribe"),
]
