from django.urls import path

from mostaql.help import views

app_name = "help"

urlpatterns = [
    path("help/", views.index, name="index"),
    path("help/fees/", views.fees, name="fees"),
    path("help/terms/", views.terms, name="terms"),
    path("help/privacy/", views.privacy, name="privacy"),
    path("help/contact/", views.contact, name="contact"),
    path("staff/support/", views.ticket_queue, name="ticket_queue"),
    path("staff/support/<int:pk>/", views.ticket_review, name="ticket_review"),
    path("staff/support/<int:pk>/attachment/", views.ticket_attachment, name="ticket_attachment"),
]
