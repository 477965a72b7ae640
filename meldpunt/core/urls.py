from django.urls import path

from .views import auth, beheer, home

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("inloggen/", auth.InlogView.as_view(), name="login"),
    path("inloggen/tweede-factor/", auth.TweedeFactorView.as_view(), name="tweede_factor"),
    path("inloggen/tweede-factor/instellen/", auth.TweedeFactorInstellenView.as_view(), name="tweede_factor_instellen"),
    path("uitloggen/", auth.uitloggen, name="logout"),
    path("account/activeren/<uidb64>/<token>/", auth.AccountActiverenView.as_view(), name="account_activeren"),
    path("healthz", home.healthz, name="healthz"),
    path("beheer/status/", home.status, name="status"),
    path("beheer/organisaties/", beheer.OrganisatieListView.as_view(), name="organisatie_list"),
    path("beheer/organisaties/nieuw/", beheer.OrganisatieCreateView.as_view(), name="organisatie_create"),
    path("beheer/organisaties/<int:pk>/", beheer.OrganisatieDetailView.as_view(), name="organisatie_detail"),
    path("gebruikers/", beheer.GebruikerListView.as_view(), name="gebruiker_list"),
    path("gebruikers/nieuw/", beheer.GebruikerCreateView.as_view(), name="gebruiker_create"),
    path("gebruikers/<int:pk>/", beheer.GebruikerDetailView.as_view(), name="gebruiker_detail"),
    path("gebruikers/<int:pk>/<slug:actie>/", beheer.GebruikerActieView.as_view(), name="gebruiker_actie"),
    path("gebruikers/wijzigingen/", beheer.AccountWijzigingListView.as_view(), name="accountwijziging_list"),
    path(
        "gebruikers/wijzigingen/<int:pk>/<slug:actie>/",
        beheer.AccountWijzigingBeoordelenView.as_view(),
        name="accountwijziging_beoordelen",
    ),
]
