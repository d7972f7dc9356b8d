from django.urls import path

from mostaql.contracts import views

app_name = "contracts"

urlpatterns = [
    path("contracts/<int:pk>/", views.contract_detail, name="detail"),
    path("contracts/<int:pk>/<slug:action>/", views.contract_action, name="action"),
]
