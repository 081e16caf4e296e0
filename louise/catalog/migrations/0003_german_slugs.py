"""Shops whose web address dropped their umlauts ("wascherei-blutenwei") get the German
spelling ("waescherei-bluetenweiss"); a slug a person chose by hand stays as it is."""

from django.db import migrations
from django.utils.text import slugify

_SPELL_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss",
                            "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def spell_out(apps, schema_editor):
    Merchant = apps.get_model("catalog", "Merchant")
    taken = set(Merchant.objects.values_list("slug", flat=True))
    for merchant in Merchant.objects.all():
        new = slugify(merchant.name.translate(_SPELL_OUT))
        if merchant.slug == slugify(merchant.name) and new != merchant.slug and new not in taken:
            taken.discard(merchant.slug)
            merchant.slug = new
            taken.add(new)
            merchant.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_backoffice")]
    operations = [migrations.RunPython(spell_out, migrations.RunPython.noop)]
