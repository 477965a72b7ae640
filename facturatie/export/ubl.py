"""The e-invoice: SI-UBL 2.0 (UBL 2.1 with the Dutch NLCIUS of EN 16931) for a cofinancieringsfactuur and its
credit invoices. Outside the scope of VAT (category ``O``, "Geen BTW verschuldigd"). Validated in the tests
against the official stylesheet (standards/si-ubl-2.0/)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lxml import etree

from facturatie.facturen.models import Factuur

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDITNOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
GEEN_BTW = "Geen BTW verschuldigd"
#: ISO 6523 ICD of a Dutch KvK number and of an OIN.
SCHEMA_KVK, SCHEMA_OIN = "0106", "0190"


def _el(ouder: Any, ns: str, naam: str, tekst: str | None = None, **attrs: str) -> Any:
    el = etree.SubElement(ouder, f"{{{ns}}}{naam}", **attrs)
    if tekst is not None:
        el.text = tekst
    return el


def _bedrag(ouder: Any, naam: str, bedrag: Decimal) -> None:
    _el(ouder, CBC, naam, f"{bedrag:.2f}", currencyID="EUR")


def _partij(ouder: Any, rol: str, gegevens: dict[str, str]) -> None:
    partij = _el(_el(ouder, CAC, rol), CAC, "Party")
    if gegevens.get("oin"):
        _el(partij, CBC, "EndpointID", gegevens["oin"], schemeID=SCHEMA_OIN)
    elif gegevens.get("kvk_nummer"):
        _el(partij, CBC, "EndpointID", gegevens["kvk_nummer"], schemeID=SCHEMA_KVK)
    _el(_el(partij, CAC, "PartyName"), CBC, "Name", gegevens["naam"])
    adres = _el(partij, CAC, "PostalAddress")
    _el(adres, CBC, "StreetName", gegevens["postadres"])
    _el(adres, CBC, "CityName", gegevens["plaats"])
    _el(adres, CBC, "PostalZone", gegevens["postcode"])
    _el(_el(adres, CAC, "Country"), CBC, "IdentificationCode", "NL")
    juridisch = _el(partij, CAC, "PartyLegalEntity")
    _el(juridisch, CBC, "RegistrationName", gegevens["naam"])
    if gegevens.get("kvk_nummer"):
        _el(juridisch, CBC, "CompanyID", gegevens["kvk_nummer"], schemeID=SCHEMA_KVK)
    else:
        _el(juridisch, CBC, "CompanyID", gegevens["oin"], schemeID=SCHEMA_OIN)
    if rol == "AccountingSupplierParty" and (gegevens.get("financieel_contact") or gegevens.get("financieel_email")):
        contact = _el(partij, CAC, "Contact")
        if gegevens.get("financieel_contact"):
            _el(contact, CBC, "Name", gegevens["financieel_contact"])
        if gegevens.get("financieel_email"):
            _el(contact, CBC, "ElectronicMail", gegevens["financieel_email"])


def _btw_categorie(ouder: Any, naam: str, *, met_reden: bool) -> None:
    categorie = _el(ouder, CAC, naam)
    _el(categorie, CBC, "ID", "O")
    if met_reden:
        _el(categorie, CBC, "TaxExemptionReason", GEEN_BTW)
    _el(_el(categorie, CAC, "TaxScheme"), CBC, "ID", "VAT")


def factuur_ubl(factuur: Factuur) -> bytes:
    """The SI-UBL 2.0 XML of an issued invoice (``Invoice``) or credit invoice (``CreditNote``, positive amounts)."""
    if not factuur.nummer:
        raise ValueError("alleen een uitgegeven factuur heeft een e-factuur")
    credit = factuur.is_credit
    root_ns = NS_CREDITNOTE if credit else NS_INVOICE
    root = etree.Element(
        f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}", nsmap={None: root_ns, "cac": CAC, "cbc": CBC}
    )
    teken = Decimal(-1) if credit else Decimal(1)
    regels = list(factuur.regels.order_by("dossiernummer", "pk"))
    totaal = sum((r.bedrag * teken for r in regels), Decimal("0.00"))
    assert factuur.factuurdatum is not None and factuur.vervaldatum is not None

    _el(root, CBC, "CustomizationID", CUSTOMIZATION)
    _el(root, CBC, "ProfileID", PROFILE)
    _el(root, CBC, "ID", factuur.nummer)
    _el(root, CBC, "IssueDate", factuur.factuurdatum.isoformat())
    if not credit:
        _el(root, CBC, "DueDate", factuur.vervaldatum.isoformat())
    _el(root, CBC, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    soort = "Creditfactuur cofinanciering" if credit else "Cofinanciering"
    _el(root, CBC, "Note", f"{soort} vroegsignalering {factuur.jaar}, convenant {factuur.convenant.naam}. {GEEN_BTW}.")
    _el(root, CBC, "DocumentCurrencyCode", "EUR")
    _el(root, CBC, "BuyerReference", f"{factuur.convenant.slug}-{factuur.jaar}")
    if credit and factuur.credit_van is not None:
        referentie = _el(_el(root, CAC, "BillingReference"), CAC, "InvoiceDocumentReference")
        _el(referentie, CBC, "ID", factuur.credit_van.nummer)
        if factuur.credit_van.factuurdatum:
            _el(referentie, CBC, "IssueDate", factuur.credit_van.factuurdatum.isoformat())
    _partij(root, "AccountingSupplierParty", factuur.afzender_gegevens)
    _partij(root, "AccountingCustomerParty", factuur.ontvanger_gegevens)
    betaling = _el(root, CAC, "PaymentMeans")
    _el(betaling, CBC, "PaymentMeansCode", "30")
    _el(betaling, CBC, "PaymentID", factuur.nummer)
    _el(_el(betaling, CAC, "PayeeFinancialAccount"), CBC, "ID", factuur.afzender_gegevens["iban"])
    if credit:
        _el(_el(root, CAC, "PaymentTerms"), CBC, "Note", "Wordt verrekend of binnen 30 dagen terugbetaald.")
    btw = _el(root, CAC, "TaxTotal")
    _bedrag(btw, "TaxAmount", Decimal("0.00"))
    sub = _el(btw, CAC, "TaxSubtotal")
    _bedrag(sub, "TaxableAmount", totaal)
    _bedrag(sub, "TaxAmount", Decimal("0.00"))
    _btw_categorie(sub, "TaxCategory", met_reden=True)
    totalen = _el(root, CAC, "LegalMonetaryTotal")
    for naam in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"):
        _bedrag(totalen, naam, totaal)
    for i, regel in enumerate(regels, start=1):
        lijn = _el(root, CAC, "CreditNoteLine" if credit else "InvoiceLine")
        _el(lijn, CBC, "ID", str(i))
        _el(lijn, CBC, "CreditedQuantity" if credit else "InvoicedQuantity", "1", unitCode="C62")
        _bedrag(lijn, "LineExtensionAmount", regel.bedrag * teken)
        item = _el(lijn, CAC, "Item")
        _el(item, CBC, "Name", regel.omschrijving)
        _btw_categorie(item, "ClassifiedTaxCategory", met_reden=False)
        _bedrag(_el(lijn, CAC, "Price"), "PriceAmount", regel.bedrag * teken)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
