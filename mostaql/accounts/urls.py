from django.urls import path

from mostaql.accounts import views

app_name = "accounts"

urlpatterns = [
    path("freelancers/", views.freelancers, name="freelancers"),
    path("u/<str:slug>/", views.profile, name="profile"),
    path("u/<str:slug>/portfolio/<int:pk>/", views.portfolio_item, name="portfolio_item"),
    path("settings/", views.edit_profile, name="settings"),
    path("settings/portfolio/", views.portfolio, name="portfolio"),
    path("settings/portfolio/new/", views.portfolio_new, name="portfolio_new"),
    path("settings/portfolio/<int:pk>/edit/", views.portfolio_edit, name="portfolio_edit"),
    path("settings/portfolio/<int:pk>/delete/", views.portfolio_delete, name="portfolio_delete"),
    path("settings/tokens/", views.api_tokens, name="api_tokens"),
    path("settings/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
