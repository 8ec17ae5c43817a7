"""The data hub's pages (Polish paths): catalogue, datasets, imports, jobs."""

from django.urls import path

from miasto.datahub import feeds, lifecycle_views, views

app_name = "datahub"

urlpatterns = [
    path("dane/", views.catalogue, name="catalogue"),
    path("dane/zmiany.atom", feeds.CatalogueFeed(), name="catalogue-feed"),
    path("dane/<slug:slug>/zmiany.atom", feeds.DatasetFeed(), name="feed"),
    path("dane/nowy/", views.dataset_create, name="create"),
    path("dane/nieaktualne/", views.stale, name="stale"),
    path("dane/<slug:slug>/", views.dataset_detail, name="dataset"),
    path("dane/<slug:slug>/edycja/", views.dataset_edit, name="edit"),
    path("dane/<slug:slug>/archiwizuj/", lifecycle_views.archive, name="archive"),
    path("dane/<slug:slug>/przywroc/", lifecycle_views.restore, name="restore"),
    path("dane/<slug:slug>/usun/", lifecycle_views.delete, name="delete"),
    path("dane/<slug:slug>/import/", views.import_upload, name="import"),
    path("dane/<slug:slug>/import/<str:token>/", views.import_mapping, name="import-mapping"),
    path("dane/<slug:slug>/import/<str:token>/warstwy/", views.import_layers, name="import-layers"),
    path("dane/<slug:slug>/roznice/", views.diff_page, name="diff"),
    path("dane/<slug:slug>/wersje/<int:number>/jakosc/", views.quality_page, name="quality"),
    path(
        "dane/<slug:slug>/wersje/<int:number>/biezaca/",
        views.make_current,
        name="make-current",
    ),
    path("zadania/<int:pk>/", views.job_page, name="job"),
]
