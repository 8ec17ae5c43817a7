from django.urls import path

from miasto.developers import views

app_name = "developers"

urlpatterns = [
    path("dla-deweloperow/", views.portal, name="portal"),
    path("dla-deweloperow/aplikacje/", views.applications, name="applications"),
    path("dla-deweloperow/aplikacje/<int:pk>/", views.application, name="application"),
    path("dla-deweloperow/aplikacje/<int:pk>/uniewaznij/", views.revoke, name="revoke"),
    path(
        "dla-deweloperow/aplikacje/<int:pk>/webhooki/<int:hook>/",
        views.webhook,
        name="webhook",
    ),
    path(
        "dla-deweloperow/aplikacje/<int:pk>/webhooki/<int:hook>/usun/",
        views.webhook_delete,
        name="webhook-delete",
    ),
]
