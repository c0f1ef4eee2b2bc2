from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobSearchView.as_view(), name="list"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
]
