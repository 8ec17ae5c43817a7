from django.urls import path

from miasto.datahub import api

urlpatterns = [
    path("api/v1/datasets", api.dataset_list, name="api-datasets"),
    path("api/v1/datasets/<slug:slug>", api.dataset_detail, name="api-dataset"),
    path("api/v1/datasets/<slug:slug>/diff", api.version_diff, name="api-dataset-diff"),
    path("api/v1/datasets/<slug:slug>/download", api.download, name="api-dataset-download"),
    path(
        "api/v1/datasets/<slug:slug>/versions/<int:number>/quality",
        api.version_quality,
        name="api-dataset-quality",
    ),
    path(
        "api/v1/datasets/<slug:slug>/versions/<int:number>/features",
        api.version_features,
        name="api-dataset-features",
    ),
    path("api/v1/jobs/<int:pk>", api.job_status, name="api-job"),
    path("api/v1/jobs/<int:pk>/cancel", api.job_cancel_view, name="api-job-cancel"),
]
