from django.urls import path

from mostaql.reports import views

app_name = "reports"

urlpatterns = [
    path("report/<slug:kind>/<int:pk>/", views.report_new, name="new"),
    path("reports/", views.my_reports, name="mine"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("staff/reports/", views.queue, name="queue"),
    path("staff/reports/<int:pk>/", views.review, name="review"),
    path("staff/hidden/", views.hidden, name="hidden"),
    path("staff/hidden/<int:pk>/show/", views.show, name="show"),
    path("staff/suspensions/", views.suspensions, name="suspensions"),
    path("staff/suspensions/<int:pk>/lift/", views.lift, name="lift"),
]
