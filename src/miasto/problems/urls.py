"""Open311 GeoReport v2 (:mod:`miasto.problems.open311`) at ``/open311/v2/``."""

from django.urls import path, register_converter

from miasto.problems import open311


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311fmt")

app_name = "open311"

urlpatterns = [
    path("open311/v2/discovery.<open311fmt:fmt>", open311.discovery, name="discovery"),
    path("open311/v2/services.<open311fmt:fmt>", open311.services, name="services"),
    path(
        "open311/v2/services/<slug:code>.<open311fmt:fmt>",
        open311.service_definition,
        name="service",
    ),
    path("open311/v2/requests.<open311fmt:fmt>", open311.requests_view, name="requests"),
    path("open311/v2/requests/<int:pk>.<open311fmt:fmt>", open311.request_detail, name="request"),
    path("open311/v2/tokens/<str:token>.<open311fmt:fmt>", open311.token, name="token"),
]
