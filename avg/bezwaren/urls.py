"""A bezwaar against a decision: the contactpunt's page, and a participant's reaction."""

from django.urls import path

from . import views

app_name = "bezwaren"

urlpatterns = [
    path("<int:pk>/", views.BezwaarDetailView.as_view(), name="detail"),
    path("uitnodigingen/<int:pk>/", views.ReactieView.as_view(), name="reactie"),
]
