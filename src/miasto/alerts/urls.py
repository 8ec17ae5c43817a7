from django.urls import path

from miasto.alerts import feeds, views

app_name = "alerts"

urlpatterns = [
    path("konto/powiadomienia/", views.subscriptions, name="subscriptions"),
    path("konto/powiadomienia/<int:pk>/", views.subscription_edit, name="edit"),
    path("konto/powiadomienia/<int:pk>/usun/", views.subscription_delete, name="delete"),
    path("konto/powiadomienia/skrzynka/", views.notifications, name="notifications"),
    path(
        "konto/powiadomienia/skrzynka/przeczytane/",
        views.notifications_read,
        name="notifications-read",
    ),
    path("konto/powiadomienia/kanal/nowy-adres/", views.feed_reset, name="feed-reset"),
    path("konto/powiadomienia/kanal/<str:token>.atom", feeds.AlertFeed(), name="feed"),
]
