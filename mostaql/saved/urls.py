from django.urls import path

from mostaql.saved import views

app_name = "saved"

urlpatterns = [
    path("projects/feed/", views.projects_feed, name="projects_feed"),
    path("services/feed/", views.services_feed, name="services_feed"),
    path("requests/feed/", views.requests_feed, name="requests_feed"),
    path("saved/", views.favourites, name="index"),
    path("saved/toggle/", views.toggle, name="toggle"),
    path("saved/searches/", views.searches, name="searches"),
    path("saved/searches/new/", views.search_create, name="search_create"),
    path("saved/searches/<int:pk>/", views.search_edit, name="search_edit"),
    path("saved/searches/<int:pk>/delete/", views.search_delete, name="search_delete"),
    path("saved/skills-alerts/", views.skills_alerts, name="skills_alerts"),
]
