"""The month for the funding body: the PDF's pages and key figures, the raw tables as CSV and
XLSX, and `louise report`'s refusals."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from louise.cli import main
from louise.conftest import MONDAY_MORNING, the_town
from louise.reports.exports import month_files

from .test_report import delivered_day

__all__ = ["delivered_day"]
AFTER = MONDAY_MORNING + timedelta(days=3)  # the month (November 2026) is in the past then


def test_the_months_pdf_csv_and_xlsx(delivered_day, tmp_path):
    written = month_files(town_slug=the_town().slug, month="2026-11", pdf=tmp_path / "b.pdf",
                          csv_dir=tmp_path / "csv", xlsx=tmp_path / "b.xlsx", now=AFTER)
    assert written[0] == tmp_path / "b.pdf"
    pdf = PdfReader(io.BytesIO((tmp_path / "b.pdf").read_bytes()))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    # title page, the five groups, the charts (the zones of this town have no drawn area),
    # method and sources
    assert len(pdf.pages) >= 4
    first = pdf.pages[0].extract_text()
    assert "Bericht Bottrop" in first and "11/2026" in first and "10/2026" in first
    for words in ("Leistung", "Qualität", "Flotte", "Umwelt", "Wirtschaftlichkeit",
                  "Pünktlich (im zugesagten Fenster)", "100 %", "Kosten je Stopp",
                  "Break-even", "CO2e vermieden", "Bestellungen je Tag", "Methode",
                  "Umweltbundesamt"):
        assert words in text, words
    csvs = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert csvs == ["fahrzeuge.csv", "faktoren.csv", "kennzahlen.csv", "tage.csv", "zonen.csv"]
    days = (tmp_path / "csv" / "tage.csv").read_text(encoding="utf-8")
    assert days.startswith("\ufeffTag;Bestellungen;")
    assert "2026-11-30;1;1;0;0;" in days  # one order, one drop at the door
    book = load_workbook(tmp_path / "b.xlsx")
    assert book.sheetnames == ["Kennzahlen", "Je Tag", "Je Fahrzeugart",
                               "Zustellungen je Zone", "Faktoren und Quellen"]
    rows = list(book["Je Tag"].iter_rows(values_only=True))
    assert len(rows) == 1 + 30  # every day of November, those without orders too
    assert rows[1][:3] == ("2026-11-01", 0, 0)
    assert rows[-1][:3] == ("2026-11-30", 1, 1)


@pytest.mark.parametrize(("args", "says"), [
    (["--town", "atlantis", "--month", "2026-10"], "Die Stadt „atlantis“ gibt es nicht"),
    (["--town", "bottrop", "--month", "2999-01"], "liegt in der Zukunft"),
    (["--town", "bottrop", "--month", "2026-10-05"], "ist kein Monat"),
])
def test_the_command_refuses_in_german(town, tmp_path, capsys, args, says):
    assert main(["report", *args, "--pdf", str(tmp_path / "b.pdf")]) == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "b.pdf").exists()


def test_the_command_writes_the_files(town, tmp_path, capsys):
    assert main(["report", "--town", the_town().slug, "--month", "2026-10", "--pdf",
                 str(tmp_path / "b.pdf"), "--xlsx", str(tmp_path / "b.xlsx")]) == 0
    assert "Geschrieben:" in capsys.readouterr().out
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "b.xlsx").exists()


def test_the_command_names_a_folder_it_cannot_write_to(town, tmp_path, capsys):
    missing = tmp_path / "gibt-es-nicht" / "b.pdf"
    assert main(["report", "--town", the_town().slug, "--month", "2026-10",
                 "--pdf", str(missing)]) == 2
    said = capsys.readouterr().err
    assert str(missing) in said and "kann nicht geschrieben werden" in said


@pytest.mark.parametrize("workers", ["0", "-1", "zwei"])
def test_serve_and_demo_refuse_a_workers_count_below_one(workers, capsys):
    for command in ("serve", "demo"):
        with pytest.raises(SystemExit) as ended:
            main([command, "--workers", workers])
        assert ended.value.code == 2
        assert "mindestens 1" in capsys.readouterr().err
