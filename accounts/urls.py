from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("resume/", views.ResumeUploadView.as_view(), name="resume_upload"),
    path("resume/delete/", views.ResumeDeleteView.as_view(), name="resume_delete"),
    path("resume/<int:user_pk>/", views.ResumeDownloadView.as_view(), name="resume"),
    path("applications/", views.ApplicationListView.as_view(), name="applications"),
    path("applications/<int:pk>/withdraw/", views.ApplicationWithdrawView.as_view(), name="withdraw"),
    path("saved/", views.SavedJobListView.as_view(), name="saved_jobs"),
    path("searches/", views.SavedSearchListView.as_view(), name="searches"),
    path("searches/<int:pk>/", views.SavedSearchUpdateView.as_view(), name="search_update"),
]
