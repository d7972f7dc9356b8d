from django.urls import path

from mostaql.briefs import views

app_name = "briefs"

urlpatterns = [
    path("requests/", views.brief_list, name="list"),
    path("requests/new/", views.brief_create, name="create"),
    path("requests/<int:pk>/", views.brief_detail, name="detail"),
    path("requests/<int:pk>/answer/", views.brief_answer, name="answer"),
    path("requests/<int:pk>/answers/<int:answer_pk>/order/", views.answer_order, name="order"),
    path("dashboard/requests/", views.my_briefs, name="mine"),
    path("staff/requests/<int:pk>/approve/", views.moderation_approve, name="approve"),
    path("staff/requests/<int:pk>/reject/", views.moderation_reject, name="reject"),
]
