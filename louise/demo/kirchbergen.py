"""Kirchbergen an der Emscher: the demo's second town, invented, about 12 km east of
Bottrop's hub, shaped like bottrop.py (see there for what each table means).

The town, its districts, streets, postcodes, shops and people are all made up; any likeness
to real places, businesses or people is chance. Its postcodes (4597x) are used by no zone
of Bottrop, so an address names its town by its postcode alone.
"""

from . import bottrop

NAME = "Kirchbergen an der Emscher"
SLUG = "kirchbergen"
SEED = 20261129
PHONE = "02046"
CUSTOMERS = 100
GOODS_ORDERS = 15
SERVICE_BOOKINGS = 2
BASKET_EVERY = 0  # one shop per purchase (see bottrop.BASKET_EVERY)

STAFF = [
    ("dispo2", "dispatcher", "Doris", "Tourenplan", "Disposition"),
    ("hotline2", "hotline", "Hannes", "Hörer", "Hotline"),
    ("stadt2", "operator", "Ottilie", "Brückner", "Betrieb (Stadt)"),
]
# People the hotline looks after (see bottrop.py).
HOTLINE_CALLERS = [("Gertrud", "Hahn", "02046 445566"),
                   ("Tagespflege", "Haus am Kanal", "02046 990011")]
STANDING_RECIPIENTS = [("Frau Ebert", ""), ("Herr Funke", ""), ("Frau Gerlach", "")]
# The store whose shoppers buy customers' free-text lists ("Einkaufsservice").
SHOPPING_STORE = "Marktladen Am Brunnen"
SHOP_OWNER = ("laden2", "Buchladen Brückenbogen", "Bettina", "Blatt", "Händler (Buchladen)")
CUSTOMER_FIRST, CUSTOMER_NAME, RIDER_NAME = "kunde2", "kunde2-{:03d}", "fahrer2-{}"
HOME_DISTRICT = "Altstadt"
FIRST_NAMES, LAST_NAMES = bottrop.FIRST_NAMES, bottrop.LAST_NAMES  # the region's names
SHIFT_HOURS = {"bike": ("14:00", "21:00"), "car": ("13:00", "21:00")}

HUB = {"name": "Depot Zechenplatz", "street": "Zechenplatz 2", "postcode": "45971",
       "district": "Altstadt", "lat": 51.5290, "lon": 7.1050}

DISTRICTS = {
    "Altstadt": ("45971", 51.5290, 7.1050),
    "Kanalviertel": ("45971", 51.5215, 7.0950),
    "Emscherauen": ("45973", 51.5120, 7.1160),
    "Hohenfeld": ("45975", 51.5530, 7.1210),
}

ZONES = [
    ("Altstadt", ["45971"], ["bike", "car"], True),
    ("Emscherauen", ["45973"], ["bike", "car"], True),
    ("Hohenfeld", ["45975"], ["car"], True),
]

STREETS = {
    "Altstadt": [("Zechenplatz", -40, -60, 90, 20), ("Marktstraße", 150, -250, 30, 56),
                 ("Brückenweg", -250, 100, 80, 40), ("Lindenplatz", 300, 250, 160, 24)],
    "Kanalviertel": [("Hafenstraße", -100, -300, 70, 48), ("Schleusenweg", 200, 100, 150, 30),
                     ("Treidelpfad", -250, 200, 20, 36)],
    "Emscherauen": [("Auenweg", -200, -250, 60, 52), ("Uferstraße", 150, 150, 110, 44),
                    ("Weidenring", -50, 300, 200, 28), ("Im Bruch", 300, -200, 20, 18)],
    "Hohenfeld": [("Feldweg", -250, -150, 40, 40), ("Zum Windrad", 200, 200, 190, 22),
                  ("Hofstraße", -100, 250, 90, 30)],
}

MERCHANTS = [
    ("Buchladen Brückenbogen", "books", "Altstadt", bottrop.WEEKDAYS_9_18, [
        ("Roman „Die Brücke über die Emscher“", 2100, 550, 1100, 7, False, False),
        ("Bilderbuch „Der Kanalfrosch“", 1395, 400, 900, 7, False, False),
        ("Wanderkarte Emscherland", 990, 150, 300, 7, False, False),
    ], [("Buch neu binden", 2900, 5)]),
    ("Hofladen Emschergrün", "organic", "Emscherauen", bottrop.WEEKDAYS_8_20, [
        ("Gemüsekiste saisonal", 2190, 5000, 13000, 7, True, False),
        ("Landmilch 1 l", 139, 1050, 1000, 7, True, False),
        ("Honig aus den Auen 500 g", 790, 650, 500, 7, False, False),
    ], []),
    ("Weinkontor Zechenplatz", "wine", "Altstadt", bottrop.WEEKDAYS_9_18, [
        ("Silvaner trocken 0,75 l", 990, 1300, 1000, 19, False, False),
        ("Traubensaft rot 1 l", 349, 1100, 1000, 19, False, False),
    ], []),
    ("Backstube Kornblume", "bakery", "Kanalviertel", bottrop.WEEKDAYS_8_20, [
        ("Sauerteigbrot 1 kg", 479, 1000, 3000, 7, False, False),
        ("Mohnbrötchen (6 Stück)", 360, 400, 2500, 7, False, False),
    ], []),
    ("Wäscherei Klarwasser", "laundry", "Kanalviertel", bottrop.WEEKDAYS_8_20, [
        ("Fleckenspray", 450, 300, 350, 19, False, False),
    ], [("Hemden waschen und bügeln (5 Stück)", 1190, 2)]),
    ("Fahrradwerkstatt Zahnkranz", "bikes", "Emscherauen", bottrop.WEEKDAYS_9_18, [
        ("Flickzeug", 490, 80, 150, 19, False, False),
        ("Fahrradkorb", 2990, 900, 25000, 19, False, True),
    ], []),
    ("Marktladen Am Brunnen", "grocery", "Altstadt", bottrop.WEEKDAYS_8_20, [
        ("Kartoffeln 2,5 kg", 399, 2500, 3500, 7, False, False),
        ("Joghurt 500 g", 129, 520, 500, 7, True, False),
        ("Kaffee Emscher-Röstung 500 g", 849, 520, 1100, 7, False, False),
    ], []),
    ("Blumen Wiesenduft", "flowers", "Hohenfeld", bottrop.WEEKDAYS_8_20, [
        ("Wiesenstrauß", 1990, 700, 7000, 7, False, True),
        ("Topfrose", 890, 900, 2500, 7, False, False),
    ], []),
    ("Drogerie Lavendel", "pharmacy", "Altstadt", bottrop.WEEKDAYS_8_20, [
        ("Lippenbalsam", 295, 20, 30, 19, False, False),
        ("Duschgel Lavendel", 245, 280, 300, 19, False, False),
    ], []),
    ("Suppenküche Kanalblick", "lunch", "Kanalviertel", bottrop.LUNCH_HOURS, [
        ("Kartoffelsuppe", 690, 600, 700, 7, True, False),
        ("Erbseneintopf", 720, 600, 700, 7, True, False),
    ], []),
]

PICKUP_POINTS = [("Kiosk Am Kanal", "Kanalviertel", "Hafenstraße 12")]

LOCKERS = [("Paketstation Zechenplatz", "Altstadt", "Zechenplatz 8", {"S": 6, "M": 4, "L": 2})]

VEHICLES = [
    ("Lastenrad 1", "bike", 120_000, 400_000, 20, 50, 12.0, True, False),
    ("Lastenrad 2", "bike", 120_000, 400_000, 20, 50, 12.0, False, False),
    ("E-Auto 1", "car", 500_000, 2_500_000, 60, 150, 25.0, True, True),
]
