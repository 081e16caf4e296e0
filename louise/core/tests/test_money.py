"""Amounts are written one way everywhere: pages, mails, CSV files."""

from django.template import Context, Template

from louise.core.money import euro_text


def test_euros_are_written_in_german_with_thousands_and_a_fixed_space():
    assert euro_text(123450) == "1.234,50\u00a0€"
    assert euro_text(5) == "0,05\u00a0€"
    assert euro_text(0) == "0,00\u00a0€"
    assert euro_text(-1999) == "-19,99\u00a0€"
    assert euro_text(100_000_000) == "1.000.000,00\u00a0€"


def test_spreadsheet_columns_get_the_amount_without_the_sign():
    assert euro_text(123450, symbol=False) == "1.234,50"
    assert euro_text(7, symbol=False) == "0,07"


def test_the_template_filter_writes_what_euro_text_writes():
    template = Template("{% load shop %}{{ amount|euro }}|{{ nothing|euro }}")
    assert template.render(Context({"amount": 123450, "nothing": None})) == "1.234,50\u00a0€|"
