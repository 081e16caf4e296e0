"""Words people use for what the shops call otherwise ("Schuster" for a shoemaker, "kaputt"
for a repair). Each group is searched as one word; the words' stems also let the search
split German compounds ("Schuhreparatur" → "Schuh" + "Reparatur"). Data, not code: a town
adds its own words here."""

GROUPS: tuple[tuple[str, ...], ...] = (
    ("schuster", "schuhmacher", "schuhmacherei"),
    ("reparatur", "reparieren", "repariert", "kaputt", "defekt", "kaputte", "flicken",
     "ausbessern", "erneuern", "ersetzen", "instandsetzung"),
    ("wäsche", "wäscherei", "waschen", "reinigung", "textilpflege", "bügeln", "mangeln"),
    ("schneider", "schneiderei", "änderung", "ändern", "kürzen", "nähen"),
    ("fahrrad", "fahrräder", "radwerk", "zweirad", "velo"),
    ("buch", "bücher", "buchhandlung", "roman", "lesen"),
    ("wein", "weine", "weinhandlung", "getränke"),
    ("bio", "öko", "biologisch", "ökologisch"),
    ("bäcker", "bäckerei", "brot", "brötchen", "mühle", "mehl"),
    ("mittagessen", "mittagstisch", "essen", "lunch"),
    ("blumen", "blume", "strauß", "floristik"),
    ("drogerie", "kosmetik", "pflege"),
    ("unverpackt", "zero", "plastikfrei"),
)

# Words that carry no meaning for a search ("meine Schuhe sind kaputt").
STOPWORDS = frozenset({
    "und", "oder", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einer",
    "mein", "meine", "meinen", "ist", "sind", "für", "mit", "von", "vom", "zu", "zum", "zur",
    "im", "in", "am", "an", "auf", "bitte", "ich", "wir", "mir", "mich", "gibt", "es", "wo",
    "bei", "beim", "lassen", "machen",
})
