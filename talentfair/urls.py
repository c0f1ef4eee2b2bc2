from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from api.views import JobFeedView
from portal.dashboard import dashboard_view

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/dashboard/", dashboard_view, name="admin-dashboard"),
    path("admin/", admin.site.urls),
    path("jobs/", include("portal.job_urls")),
    path("employers/", include("portal.employer_urls")),
    path("fairs/", include("fairs.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("portal.account_urls")),
    path("api/v1/", include("api.urls")),
    path("feeds/jobs.jsonld", JobFeedView.as_view(), name="feed-jobs"),
    # Browsers ask for /favicon.ico whatever the page links (the API docs, a PDF): our icon, not a 404 in every log.
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("favicon.svg"), permanent=True)),
    path("", include("talentfair.core.urls")),  # health checks
    path("", include("portal.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    # The demo partner feeds (feeds_demo): samples/feeds served as a partner centre would, DEBUG only.
    urlpatterns += static(settings.FEEDS_DEMO_URL_PREFIX, document_root=settings.BASE_DIR / "samples" / "feeds")

handler500 = "talentfair.core.unavailable.server_error"  # a database outage is a 503 "暂时无法访问", not a 500
