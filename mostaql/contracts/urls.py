from django.urls import path

from mostaql.contracts import views

app_name = "contracts"

urlpatterns = [
    path("contracts/direct/<int:user_id>/", views.rehire, name="rehire"),
    path("contracts/<int:pk>/", views.contract_detail, name="detail"),
    path("contracts/<int:pk>/<slug:action>/", views.contract_action, name="action"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("contracts/requirements/<int:pk>/", views.requirements_file, name="requirements_file"),
    path("contracts/files/<int:pk>/", views.delivery_file, name="delivery_file"),
    path("contracts/files/<int:pk>/preview/", views.delivery_preview, name="delivery_preview"),
    path("staff/disputes/", views.dispute_queue, name="dispute_queue"),
    path("staff/disputes/<int:pk>/", views.dispute_decide, name="dispute_decide"),
]
