from django.urls import path

from facturatie.bespreking import views as bespreking
from facturatie.export import views as export
from facturatie.facturen import views as facturen

app_name = "facturatie"

urlpatterns = [
    path("", facturen.FactuurListView.as_view(), name="list"),
    path("overzicht.csv", export.overzicht_csv_view, name="overzicht_csv"),
    path("overzicht.xlsx", export.overzicht_xlsx_view, name="overzicht_xlsx"),
    path("opstellen/<int:pk>/stand/", facturen.OpstelrunStandView.as_view(), name="opstelrun_stand"),
    path("<int:pk>/", facturen.FactuurDetailView.as_view(), name="detail"),
    path("<int:pk>/uitgeven/", facturen.FactuurUitgevenView.as_view(), name="uitgeven"),
    path("<int:pk>/crediteren/", facturen.CreditView.as_view(), name="crediteren"),
    path("<int:pk>/factuur.pdf", export.factuur_pdf_view, name="pdf"),
    path("<int:pk>/regels.csv", export.factuur_csv_view, name="csv"),
    path("<int:pk>/regels.xlsx", export.factuur_xlsx_view, name="xlsx"),
    path("<int:pk>/e-factuur.xml", export.factuur_ubl_view, name="ubl"),
    path("regels/<int:pk>/", bespreking.RegelView.as_view(), name="regel"),
]
