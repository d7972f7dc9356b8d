from django.urls import path

from mostaql.reviews import views

app_name = "reviews"

urlpatterns = [
    path("contracts/<int:pk>/review/", views.write_review, name="write"),
    path("reviews/<int:pk>/reply/", views.reply, name="reply"),
]
