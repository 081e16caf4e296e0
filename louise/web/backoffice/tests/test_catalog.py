"""The catalogue pages and its CSV import/export: all rows or none, errors by line."""

from louise.catalog.models import Product, ServiceOffer

HEADER = ("typ;name;beschreibung;preis_eur;mwst;bestand;gewicht_g;volumen_ml;gekuehlt;sperrig;"
          "preis_nach_begutachtung;bearbeitung_tage;aktiv\r\n")


def upload(client, text: str, encoding: str = "utf-8"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/laden/katalog/import/", {"file": SimpleUploadedFile(
        "katalog.csv", text.encode(encoding), content_type="text/csv")})


def test_add_a_product_with_a_euro_price(staff_client, shop):
    # when
    response = staff_client.post("/laden/katalog/produkt/neu/", {
        "name": "Lesezeichen Förderturm", "price": "3,90", "vat_rate": 19, "stock": 12,
        "weight_g": 20, "volume_ml": 50, "active": "on"})
    # then
    assert response.status_code == 302
    product = Product.objects.get(name="Lesezeichen Förderturm")
    assert (product.price_cents, product.merchant) == (390, shop["merchant"])
    # and its edit page shows the price as written, with both decimals
    page = staff_client.get(f"/laden/katalog/produkt/{product.pk}/").content.decode()
    assert 'value="3,90"' in page


def test_a_service_needs_a_price_or_a_quote(staff_client, shop):
    response = staff_client.post("/laden/katalog/dienstleistung/neu/", {
        "name": "Einband erneuern", "vat_rate": 19, "turnaround_days": 3, "weight_g": 800,
        "volume_ml": 2000})
    assert response.status_code == 200
    assert not ServiceOffer.objects.filter(name="Einband erneuern").exists()
    response = staff_client.post("/laden/katalog/dienstleistung/neu/", {
        "name": "Einband erneuern", "quote_after_inspection": "on", "vat_rate": 19,
        "turnaround_days": 3, "weight_g": 800, "volume_ml": 2000, "active": "on"})
    assert response.status_code == 302
    assert ServiceOffer.objects.get(name="Einband erneuern").price_cents is None


def test_edit_a_product(staff_client, shop):
    product = shop["product"]
    staff_client.post(f"/laden/katalog/produkt/{product.pk}/", {
        "name": product.name, "price": "16.50", "vat_rate": 7, "stock": 0,
        "weight_g": 600, "volume_ml": 1200})
    product.refresh_from_db()
    assert (product.price_cents, product.stock, product.active) == (1650, 0, False)


def test_export_then_import_round_trips(staff_client, shop):
    # given
    exported = staff_client.get("/laden/katalog/export.csv").content.decode("utf-8-sig")
    assert "produkt;Buch von Buchladen Eins;;15,00;19;5;600;1200;nein;nein;;;ja" in exported
    # when: the shop raises a price in its spreadsheet and adds a line
    changed = exported.replace(";15,00;", ";17,50;") + (
        "produkt;Postkarte Malakoffturm;;1,20;19;100;10;20;nein;nein;;;ja\r\n")
    response = upload(staff_client, changed)
    # then
    assert "1 neu angelegt, 2 aktualisiert" in response.content.decode()
    shop["product"].refresh_from_db()
    assert shop["product"].price_cents == 1750
    assert Product.objects.get(name="Postkarte Malakoffturm").stock == 100


def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(staff_client, shop):
    # given: line 2 good, 3 bad price, 4 bad flag, 5 unknown type, 6 duplicate of line 2
    text = HEADER + (
        "produkt;Neu A;;2,00;7;1;100;100;nein;nein;;;ja\r\n"
        "produkt;Neu B;;zwei Euro;7;1;100;100;nein;nein;;;ja\r\n"
        "produkt;Neu C;;2,00;7;1;100;100;vielleicht;nein;;;ja\r\n"
        "ware;Neu D;;2,00;7;1;100;100;nein;nein;;;ja\r\n"
        "produkt;Neu A;;2,00;7;1;100;100;nein;nein;;;ja\r\n"
        "produkt;Neu E;;2,00;16;1;100;100;nein;nein;;;ja\r\n"
    )
    # when
    page = upload(staff_client, text).content.decode()
    # then
    assert "Nichts importiert" in page
    for line, words in [(3, "zwei Euro"), (4, "vielleicht"), (5, "ware"), (6, "doppelt"),
                        (7, "mwst")]:
        assert f"<td>{line}</td><td>" in page and words in page, line
    assert "<td>2</td>" not in page
    assert not Product.objects.filter(name__startswith="Neu").exists()


def test_a_rule_broken_in_a_row_names_the_column_not_the_field(staff_client, shop):
    text = HEADER + "dienstleistung;Neu F;;5,00;19;;;;;;nein;99;ja\r\n"
    page = upload(staff_client, text).content.decode()
    assert "<td>2</td><td>bearbeitung_tage:" in page
    assert "turnaround_days" not in page


def test_import_reads_excel_style_windows_files_with_commas(staff_client, shop):
    text = ("typ,name,preis_eur,mwst,bearbeitung_tage,preis_nach_begutachtung\r\n"
            "dienstleistung,Schuhe weiten,,19,2,ja\r\n")
    response = upload(staff_client, text.replace("Schuhe", "Größe"), encoding="cp1252")
    assert "1 neu angelegt" in response.content.decode()
    assert ServiceOffer.objects.get(name="Größe weiten").quote_after_inspection


def test_a_file_without_the_needed_columns_is_refused(staff_client, shop):
    response = upload(staff_client, "artikel;preis\r\nBuch;3\r\n")
    assert "fehlt die Spalte „name“" in response.content.decode()


def test_an_oversized_file_is_refused_before_reading(staff_client, shop):
    response = upload(staff_client, HEADER + "x" * (2 * 1024 * 1024))
    assert "zu groß" in response.content.decode()


def test_catalogue_search(staff_client, shop):
    found = staff_client.get("/laden/katalog/?q=buch").content.decode()
    missing = staff_client.get("/laden/katalog/?q=Vase").content.decode()
    assert f"/laden/katalog/produkt/{shop['product'].pk}/" in found
    assert f"/laden/katalog/produkt/{shop['product'].pk}/" not in missing
