"""The employers' pages (namespace ``employers``): an employer's public page and the employer centre."""

from django.urls import path, re_path

from . import employer_centre as centre_views
from . import views

app_name = "employers"
urlpatterns = [
    path("<int:pk>/", views.EmployerDetailView.as_view(), name="detail"),
    path("centre/", centre_views.CentreView.as_view(), name="centre"),
    path("centre/register/", centre_views.EmployerRegisterView.as_view(), name="register"),
    path("centre/join/", centre_views.JoinView.as_view(), name="join"),
    path("centre/members/", centre_views.MembersView.as_view(), name="members"),
    path("centre/members/<int:pk>/decide/", centre_views.MembershipDecideView.as_view(), name="member_decide"),
    path("centre/jobs/new/", centre_views.JobCreateView.as_view(), name="job_create"),
    path("centre/jobs/<int:pk>/edit/", centre_views.JobUpdateView.as_view(), name="job_edit"),
    re_path(
        r"^centre/jobs/(?P<pk>[0-9]+)/(?P<action>submit|close|renew)/$",
        centre_views.JobActionView.as_view(),
        name="job_action",
    ),
    path("centre/jobs/<int:pk>/applicants/", centre_views.ApplicantListView.as_view(), name="applicants"),
    path("centre/jobs/<int:pk>/applicants.csv", centre_views.ApplicantExportView.as_view(), name="applicants_csv"),
    path("centre/applications/<int:pk>/move/", centre_views.ApplicationMoveView.as_view(), name="application_move"),
]
