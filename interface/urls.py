from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from interface import apis, views


class NhsukAssetRedirect(RedirectView):
    """nhsuk-frontend's stylesheet refers to its icons at /assets/…; send those to static."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static(f"nhsuk/assets/{kwargs['asset']}")


api_v1 = [
    path("patients/", apis.PatientListApi.as_view(), name="api-patient-list"),
    path("patients/<uuid:patient_id>/", apis.PatientDetailApi.as_view(), name="api-patient-detail"),
    path("", include("triage.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("patients/", views.patient_search, name="patient-search"),
    path("patients/<uuid:patient_id>/", views.patient_detail, name="patient-detail"),
    path("triage/", include("triage.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^assets/(?P<asset>[\w./-]+)$", NhsukAssetRedirect.as_view(), name="nhsuk-assets"),
]

admin.site.site_header = "Interface administration"
admin.site.site_title = "Interface"
