from django.urls import path

from mostaql.guides import views

app_name = "guides"

urlpatterns = [
    path("guides/", views.index, name="index"),
    path("guides/<slug:slug>/", views.article, name="article"),
]
