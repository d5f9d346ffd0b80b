"""The site's URLs plus views that answer 404 and 403 without raising, as some views do."""

from django.http import HttpResponseForbidden, HttpResponseNotFound
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from interface.urls import urlpatterns as site_urlpatterns


def answers_not_found(request, record_id):
    return HttpResponseNotFound("No such record.")


def answers_forbidden(request, record_id):
    return HttpResponseForbidden("Not for you.")


class AnswersNotFoundApi(APIView):
    def get(self, request, record_id):
        return Response({"detail": "No such record."}, status=404)


urlpatterns = [
    *site_urlpatterns,
    path("test/records/<uuid:record_id>/", answers_not_found, name="test-record"),
    path("test/forbidden/<uuid:record_id>/", answers_forbidden, name="test-forbidden"),
    path("api/test/records/<uuid:record_id>/", AnswersNotFoundApi.as_view(), name="api-test"),
]
