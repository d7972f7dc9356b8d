from django.urls import path

from mostaql.projects import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/new/", views.project_create, name="create"),
    path("projects/<int:pk>/", views.project_detail, name="detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="edit"),
    path("projects/<int:pk>/close/", views.project_close, name="close"),
    path("projects/<int:pk>/invitations/", views.project_invite, name="invite"),
    path("freelancers/<str:slug>/invite/", views.invite_person, name="invite_person"),
    path("dashboard/invitations/", views.my_invitations, name="my_invitations"),
    path("projects/<int:pk>/offers/", views.offer_create, name="offer_create"),
    path("projects/files/<int:pk>/", views.project_attachment, name="project_attachment"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("offers/<int:pk>/hire/", views.offer_hire, name="offer_hire"),
    path("offers/files/<int:pk>/", views.offer_attachment, name="offer_attachment"),
    path("offers/net/", views.offer_net, name="offer_net"),
    path("dashboard/projects/", views.my_projects, name="mine"),
    path("dashboard/offers/", views.my_offers, name="my_offers"),
    path("staff/projects/", views.moderation_queue, name="moderation"),
    path("staff/projects/<int:pk>/approve/", views.moderation_approve, name="approve"),
    path("staff/projects/<int:pk>/reject/", views.moderation_reject, name="reject"),
]
