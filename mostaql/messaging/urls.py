from django.urls import path

from mostaql.messaging import views

app_name = "messaging"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:pk>/", views.conversation, name="conversation"),
    path("messages/<int:pk>/poll/", views.poll, name="poll"),
    path("messages/start/<int:offer_id>/", views.start, name="start"),
    path("messages/files/<int:pk>/", views.attachment, name="attachment"),
    path("messages/files/<int:pk>/preview/", views.attachment_preview, name="attachment_preview"),
]
