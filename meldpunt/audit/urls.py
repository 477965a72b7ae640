from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.LogboekView.as_view(), name="list"),
    path("export.csv", views.LogboekExportView.as_view(), name="export"),
]
