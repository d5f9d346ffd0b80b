from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import health, views

api_v1 = [
    path("", include("directory.api.urls")),
    path("", include("triage.api.urls")),
    path("alerts/", include("alerts.api.urls")),
    path("diagnostics/", include("diagnostics.api.urls")),
    path("prescribing/", include("prescribing.api.urls")),
    path("contracts/", include("contracts.api.urls")),
    path("dashboard/", include("dashboards.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("directory.web.urls")),
    path("triage/", include("triage.web.urls")),
    path("audit/", include("audit.web.urls")),
    path("alerts/", include("alerts.web.urls")),
    path("diagnostics/", include("diagnostics.web.urls")),
    path("prescribing/", include("prescribing.web.urls")),
    path("contracts/", include("contracts.web.urls")),
    path("dashboard/", include("dashboards.web.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL of its own, not inline, so the page
    # runs under the Content-Security-Policy; the template moves its inline style to a file.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="core/swagger_ui.html"
        ),
        name="api-docs",
    ),
    # For the orchestrator: no sign-in, no session, no data (core/health.py).
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    re_path(
        r"^assets/(?P<asset>[\w./-]+)$", views.NhsukAssetRedirect.as_view(), name="nhsuk-assets"
    ),
]

admin.site.site_header = "Interface administration"
admin.site.site_title = "Interface"
