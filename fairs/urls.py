from django.urls import path

from . import views

app_name = "fairs"
urlpatterns = [
    path("", views.FairListView.as_view(), name="list"),
    path("<slug:slug>/", views.FairDetailView.as_view(), name="detail"),
]
