"""The graduate's own pages under /me/ (namespace ``accounts``): the profile and résumé (accounts) and what they
did with vacancies (jobs)."""

from django.urls import path

from accounts import views
from jobs import account_views

from .views import DashboardView

app_name = "accounts"
urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("resume/", views.ResumeUploadView.as_view(), name="resume_upload"),
    path("resume/delete/", views.ResumeDeleteView.as_view(), name="resume_delete"),
    path("resume/<int:user_pk>/", account_views.ResumeDownloadView.as_view(), name="resume"),
    path("applications/", account_views.ApplicationListView.as_view(), name="applications"),
    path("applications/<int:pk>/withdraw/", account_views.ApplicationWithdrawView.as_view(), name="withdraw"),
    path("saved/", account_views.SavedJobListView.as_view(), name="saved_jobs"),
    path("searches/", account_views.SavedSearchListView.as_view(), name="searches"),
    path("searches/<int:pk>/", account_views.SavedSearchUpdateView.as_view(), name="search_update"),
]
