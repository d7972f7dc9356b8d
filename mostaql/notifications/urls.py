from django.urls import path

from mostaql.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/", views.open_notification, name="open"),
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("notifications/read/", views.mark_all_read, name="mark_all_read"),
    path("settings/notifications/", views.preferences, name="preferences"),
]
