from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import views

api_v1 = [
    path("", include("directory.api.urls")),
    path("", include("triage.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("directory.web.urls")),
    path("triage/", include("triage.web.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(
        r"^assets/(?P<asset>[\w./-]+)$", views.NhsukAssetRedirect.as_view(), name="nhsuk-assets"
    ),
]

admin.site.site_header = "Interface administration"
admin.site.site_title = "Interface"
