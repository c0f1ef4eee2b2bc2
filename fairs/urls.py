from django.urls import path

from . import centre_views, views

app_name = "fairs"
urlpatterns = [
    path("", views.FairListView.as_view(), name="list"),
    path("mine/", views.MyFairsView.as_view(), name="my_fairs"),
    path("tickets/<int:pk>/", views.TicketView.as_view(), name="ticket"),
    path("tickets/<int:pk>/fair.ics", views.TicketCalendarView.as_view(), name="ticket_ics"),
    path("tickets/<int:pk>/cancel/", views.RegistrationCancelView.as_view(), name="cancel"),
    path("exhibiting/", centre_views.ExhibitingView.as_view(), name="exhibiting"),
    path("<slug:slug>/", views.FairDetailView.as_view(), name="detail"),
    path("<slug:slug>/register/", views.RegisterView.as_view(), name="register"),
    path("<slug:slug>/counters.json", views.FairCountersView.as_view(), name="counters"),
    path("<slug:slug>/report.csv", views.FairReportCSVView.as_view(), name="report_csv"),
    path("<slug:slug>/guide/", views.ExhibitorGuideView.as_view(), name="guide"),
    path("<slug:slug>/booths/", views.BoothPlanView.as_view(), name="booths"),
    path("<slug:slug>/guide/<int:pk>/shortlist/", views.ShortlistToggleView.as_view(), name="shortlist"),
    path("<slug:slug>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path("<slug:slug>/exhibit/", centre_views.ExhibitView.as_view(), name="exhibit"),
    path("<slug:slug>/exhibit/withdraw/", centre_views.ExhibitWithdrawView.as_view(), name="exhibit_withdraw"),
    path("<slug:slug>/booth-desk/", centre_views.BoothDeskView.as_view(), name="booth"),
]
