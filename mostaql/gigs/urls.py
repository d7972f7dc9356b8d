from django.urls import path

from mostaql.gigs import views

app_name = "gigs"

urlpatterns = [
    path("services/", views.service_list, name="list"),
    path("services/new/", views.service_create, name="create"),
    path("services/net/", views.service_net, name="net"),
    path("services/<int:pk>/", views.service_detail, name="detail"),
    path("services/<int:pk>/edit/", views.service_edit, name="edit"),
    path("services/<int:pk>/order/", views.order_confirm, name="order"),
    path("services/<int:pk>/<str:move>/", views.service_move, name="move"),
    path("dashboard/services/", views.my_services, name="mine"),
    path("staff/services/", views.moderation_queue, name="moderation"),
    path("staff/services/<int:pk>/approve/", views.moderation_approve, name="approve"),
    path("staff/services/<int:pk>/reject/", views.moderation_reject, name="reject"),
]
