from django.urls import path

from mostaql.wallet import views

app_name = "wallet"

urlpatterns = [
    path("wallet/", views.wallet, name="index"),
    path("wallet/statement.csv", views.statement_csv, name="statement_csv"),
    path("wallet/deposit/", views.deposit_start, name="deposit"),
    path("wallet/deposit/<uuid:pk>/", views.deposit_result, name="deposit_result"),
    path("wallet/sandbox/<uuid:pk>/", views.sandbox_checkout, name="sandbox_checkout"),
    path("wallet/webhooks/<slug:gateway>/", views.webhook, name="webhook"),
    path("wallet/withdraw/", views.withdraw, name="withdraw"),
    path("staff/finance/", views.finance, name="finance"),
    path(
        "staff/finance/withdrawals/<int:pk>/<slug:decision>/",
        views.withdrawal_decide,
        name="withdrawal_decide",
    ),
    path("staff/identity/", views.identity_queue, name="identity_queue"),
    path("staff/identity/<int:pk>/document/", views.identity_document, name="identity_document"),
    path("staff/identity/<int:pk>/<slug:decision>/", views.identity_decide, name="identity_decide"),
]
