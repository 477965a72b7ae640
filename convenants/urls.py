from django.urls import path

from . import views

app_name = "convenanten"

urlpatterns = [
    path("", views.ConvenantListView.as_view(), name="list"),
    path("nieuw/", views.ConvenantCreateView.as_view(), name="create"),
    path("<slug:slug>/", views.ConvenantDetailView.as_view(), name="detail"),
    path("<slug:slug>/wijzigen/", views.ConvenantUpdateView.as_view(), name="update"),
    path("<slug:slug>/opzeggen/", views.ConvenantOpzeggenView.as_view(), name="opzeggen"),
    path("<slug:slug>/parameters/<int:jaar>/", views.ParametersView.as_view(), name="parameters"),
]
