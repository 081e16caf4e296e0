"""German text as people expect it: "Bäckerei" sorts before "Buchhandlung" (DIN 5007:
umlauts as their base letter, ß as ss), and "Wäscherei Blütenweiß" gets the web address
`waescherei-bluetenweiss`, not `wascherei-blutenwei`.

Sorting happens in the database so that lists, pages and the API agree and stay fast at a
region's size: PostgreSQL uses its ICU collation for German, SQLite a collation that LOUISE
registers on every new connection (`register_sqlite_collation`).
"""

from babel.numbers import format_decimal
from django.db.backends.signals import connection_created
from django.db.models import F, fields
from django.db.models.functions import Collate
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_SPELL_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss",
                            "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
SQLITE_COLLATION = "louise_de"
POSTGRES_COLLATION = "de-DE-x-icu"


def fold(text: str) -> str:
    """Lower case with umlauts as their base letter: the key German dictionaries sort by."""
    return text.casefold().translate(_FOLD)


def number(value: float) -> str:
    """A number as Germans write it: decimal comma, thousands dot, no needless decimals
    ("1.234,5", "20"), whatever language a request asked for."""
    return format_decimal(value, format="#,##0.##", locale="de_DE")


def slug(text: str) -> str:
    return slugify(text.translate(_SPELL_OUT))


def _compare(a: str, b: str) -> int:
    key_a, key_b = (fold(a), a), (fold(b), b)
    return (key_a > key_b) - (key_a < key_b)


class GermanOrder(Collate):
    """`order_by(GermanOrder("name"))`: a column in German dictionary order."""

    def __init__(self, field: str) -> None:
        super().__init__(F(field), POSTGRES_COLLATION)

    def as_sqlite(self, compiler, connection, **extra_context):
        source = self.get_source_expressions()[0]
        return Collate(source, SQLITE_COLLATION).as_sql(compiler, connection, **extra_context)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


def connect() -> None:
    connection_created.connect(register_sqlite_collation, dispatch_uid="louise.german")
    # Django's blank choice of a select ("- Select an option -") has no German translation
    # yet; its documented hook is this module attribute, read each time a select is built.
    fields.BLANK_CHOICE_LABEL = _("– bitte wählen –")
