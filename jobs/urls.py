from django.urls import path

from . import application_views, report_views, views

app_name = "jobs"
urlpatterns = [
    path("", views.JobSearchView.as_view(), name="list"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/report/", report_views.JobReportView.as_view(), name="report"),
    path("<int:pk>/apply/", application_views.ApplyView.as_view(), name="apply"),
    path("<int:pk>/save/", application_views.SaveJobView.as_view(), name="save"),
    path("alerts/save/", application_views.SaveSearchView.as_view(), name="alert_save"),
    path("alerts/unsubscribe/<str:token>/", application_views.AlertUnsubscribeView.as_view(), name="alert_unsubscribe"),
]
