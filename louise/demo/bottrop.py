"""Invented but plausible Bottrop data: districts, shops and their goods, places, names.

Shop and person names are made up; any likeness to real businesses or people is chance.
District centres and postcodes are Bottrop's.
"""

NAME = "Bottrop"  # the default town (the first one, made from the settings)
SLUG = "bottrop"
SEED = 20261128  # the town's random draws (names, addresses, stock, the day's orders)
PHONE = "02041"  # the customers' area code
# The demo's volume: customers (each with a SEPA mandate), and one day's orders.
CUSTOMERS = 300
GOODS_ORDERS = 45
SERVICE_BOOKINGS = 4
# Every BASKET_EVERY-th purchase takes goods of a second shop too (0: none): the basket goes
# via the City-Depot and reaches the door in one drop.
BASKET_EVERY = 7

# Logins (password for all: seed.PASSWORD), with what the demo's report calls them:
# (username, role, first name, last name, label)
STAFF = [
    ("dispo", "dispatcher", "Dirk", "Planer", "Disposition"),
    ("hotline", "hotline", "Helga", "Rufer", "Hotline"),
    ("stadt", "operator", "Olaf", "Amtmann", "Betrieb (Stadt)"),
    ("depot", "hub", "Dana", "Sortierer", "City-Depot"),
]
# People the hotline looks after (no e-mail; the last is an institution with a standing
# delivery to its recipients): (first name, last name, phone); recipients: (name, room).
HOTLINE_CALLERS = [("Erna", "Schmidtke", "02041 706050"),
                   ("Wilhelm", "Kowalski", "02041 61 22 33"),
                   ("Seniorenzentrum", "St. Anna", "02041 900100")]
STANDING_RECIPIENTS = [("Frau Abel", "12"), ("Herr Brinkmann", "14"), ("Frau Czerny", "21"),
                       ("Herr Dombrowski", "23")]
# The owner's login of one shop: (username, shop, first name, last name, label)
# The store whose shoppers buy customers' free-text lists ("Einkaufsservice").
SHOPPING_STORE = "Frischemarkt Am Kirchplatz"
SHOP_OWNER = ("laden", "Schuhmacherei Absatz & Sohle", "Sabine", "Leisten",
              "Händler (Schuhmacherei)")
# Customers: the first one's username (living in HOME_DISTRICT), then the others' (from
# 1); riders' usernames (from 1, one per vehicle).
CUSTOMER_FIRST, CUSTOMER_NAME, RIDER_NAME = "kunde", "kunde{:03d}", "fahrer{}"
HOME_DISTRICT = "Stadtmitte"
# Each vehicle kind's weekly shift, on the town's working days (the car collects from the
# shops earlier).
SHIFT_HOURS = {"bike": ("14:00", "21:00"), "car": ("13:00", "21:00")}

HUB = {"name": "City-Station Altmarkt", "street": "Altmarkt 4", "postcode": "46236",
       "district": "Stadtmitte", "lat": 51.5236, "lon": 6.9285}

# name: (postcode, lat, lon)
DISTRICTS = {
    "Stadtmitte": ("46236", 51.5236, 6.9285),
    "Lehmkuhle": ("46236", 51.5150, 6.9310),
    "Ebel": ("46236", 51.5030, 6.9420),
    "Batenbrock": ("46238", 51.5160, 6.9560),
    "Boy": ("46238", 51.5290, 6.9690),
    "Welheim": ("46238", 51.5080, 6.9790),
    "Eigen": ("46240", 51.5430, 6.9470),
    "Fuhlenbrock": ("46242", 51.5340, 6.8950),
    "Vonderort": ("46242", 51.5100, 6.8960),
    "Kirchhellen": ("46244", 51.6050, 6.9230),
    "Grafenwald": ("46244", 51.5790, 6.9500),
    "Feldhausen": ("46244", 51.6190, 6.8830),
}

ZONES = [
    ("Stadtmitte", ["46236"], ["bike", "car"], True),
    ("Süd-Ost", ["46238"], ["bike", "car"], True),
    ("Eigen", ["46240"], ["bike", "car"], True),
    ("West", ["46242"], ["bike", "car"], True),
    ("Kirchhellen", ["46244"], ["car"], True),
    ("Oberhausen", ["46045", "46047", "46049"], ["car"], False),
]

# The demo's gazetteer (no Bottrop OSM extract ships with LOUISE): common German street
# names, unique within a postcode, laid out as straight lines near each district's centre.
# district: [(street, metres north, metres east of the centre where house 1 stands,
#             heading in degrees (0 = north, 90 = east), last house number)]
# Houses stand every 15 m along the street, odd numbers on the left, even on the right.
STREETS = {
    "Stadtmitte": [("Altmarkt", -60, -80, 90, 24), ("Hansastraße", 120, -300, 20, 60),
                   ("Kirchhellener Straße", 250, 100, 0, 80), ("Poststraße", -250, 150, 70, 40),
                   ("Gartenstraße", 400, 350, 110, 50)],
    "Lehmkuhle": [("Lindenweg", -200, -250, 80, 36), ("Schulstraße", 150, 100, 170, 48),
                  ("Rosenstraße", -50, 300, 20, 30), ("Am Förderturm", 300, -200, 120, 22)],
    "Ebel": [("Südring", -100, -400, 80, 90), ("Kanalstraße", 200, 150, 160, 40),
             ("Hafenweg", -300, 250, 30, 24), ("Fliederweg", 100, -150, 200, 28)],
    "Batenbrock": [("Gartenstraße", -150, -300, 75, 64), ("Birkenallee", 250, 50, 190, 44),
                   ("Ahornweg", -50, 350, 10, 26), ("Knappenweg", 350, -250, 100, 32)],
    "Boy": [("Kirchstraße", -200, -200, 60, 70), ("Bergstraße", 200, 200, 200, 50),
            ("Glückaufstraße", -350, 250, 0, 58), ("Tulpenweg", 100, -350, 130, 20)],
    "Welheim": [("Schachtstraße", -250, -150, 45, 46), ("Feldstraße", 200, 250, 250, 40),
                ("Meisenweg", 50, -350, 95, 24), ("Am Sportplatz", -100, 300, 170, 18)],
    "Eigen": [("Hauptstraße", -450, -200, 15, 140), ("Am Bahnhof", 150, 250, 100, 20),
              ("Mühlenweg", 300, -350, 80, 42), ("Eichenstraße", -200, 300, 190, 36),
              ("Schillerstraße", 50, -50, 130, 30)],
    "Fuhlenbrock": [("Parkstraße", -200, -250, 70, 52), ("Wiesenstraße", 250, 150, 180, 44),
                    ("Kastanienallee", -100, 300, 10, 60), ("Drosselweg", 350, -300, 110, 18)],
    "Vonderort": [("Sonnenweg", -250, -200, 40, 38), ("Im Winkel", 150, 200, 230, 16),
                  ("Bachstraße", 300, -250, 95, 46), ("Erlenweg", -150, 250, 0, 24)],
    "Kirchhellen": [("Dorfstraße", -300, -100, 10, 84), ("Hauptstraße", 100, -400, 85, 120),
                    ("Brunnenstraße", 250, 250, 190, 36), ("Lerchenweg", -200, 350, 60, 28)],
    "Grafenwald": [("Kirchhellener Straße", -500, 0, 350, 98), ("Heideweg", 100, 200, 90, 40),
                   ("Tannenweg", -200, -300, 140, 30)],
    "Feldhausen": [("Mühlenbachweg", -150, -200, 60, 34), ("Am Hof", 200, 150, 160, 14),
                   ("Moorweg", -250, 250, 20, 22)],
}

FIRST_NAMES = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida",
               "Jonas", "Karla", "Leon", "Mia", "Noah", "Olga", "Paul", "Rita", "Sven",
               "Tilda", "Udo", "Vera", "Willi", "Yara", "Zeynep", "Elif", "Marek", "Irena",
               "Hildegard", "Günter", "Ursula", "Heinz", "Ingrid", "Karl", "Monika", "Luca"]
LAST_NAMES = ["Albers", "Brinkmann", "Czerny", "Dahlmann", "Ebbing", "Fehling", "Gorny",
              "Hülsmann", "Imhoff", "Jankowski", "Kemper", "Lohmann", "Mertens", "Nowak",
              "Ostermann", "Pieper", "Quast", "Rademacher", "Schürmann", "Terhorst",
              "Uhlenbrock", "Voss", "Wessel", "Yilmaz", "Zimmek", "Bergmann", "Kowalski"]

WEEKDAYS_9_18 = {str(d): [["09:00", "18:30"]] for d in range(5)} | {"5": [["09:00", "14:00"]]}
WEEKDAYS_8_20 = {str(d): [["08:00", "20:00"]] for d in range(6)}
# A craft shop's split shift (closed over lunch), Saturday mornings only.
SPLIT_SHIFT = {str(d): [["09:00", "13:00"], ["14:30", "18:30"]] for d in range(5)} | {
    "5": [["09:00", "13:00"]]}
LUNCH_HOURS = {str(d): [["11:00", "15:00"]] for d in range(5)}

# (name, category, district, hours, products, services)
# product: (name, price_cents, weight_g, volume_ml, vat, cooled, bulky)
# service: (name, price_cents or None for a quote, turnaround_days)
MERCHANTS = [
    ("Buchhandlung Seitenwind", "books", "Stadtmitte", WEEKDAYS_9_18, [
        ("Roman „Das Haus am Kanal“", 2200, 600, 1200, 7, False, False),
        ("Kinderbuch „Der kleine Förderturm“", 1495, 400, 900, 7, False, False),
        ("Stadtführer Bottrop", 1290, 300, 600, 7, False, False),
        ("Kalender Ruhrgebiet 2027", 1999, 500, 2000, 19, False, False),
    ], []),
    ("Papeterie Tintenfass", "books", "Eigen", WEEKDAYS_9_18, [
        ("Notizbuch A5 Leinen", 1450, 350, 700, 19, False, False),
        ("Füllfederhalter Set", 3900, 200, 400, 19, False, False),
    ], []),
    ("Biokiste Grünkorb", "organic", "Batenbrock", WEEKDAYS_8_20, [
        ("Gemüsekiste klein", 1890, 4500, 12000, 7, True, False),
        ("Bio-Eier (10 Stück)", 429, 700, 1500, 7, True, False),
        ("Apfelsaft naturtrüb 1 l", 299, 1100, 1000, 19, False, False),
        ("Hafermilch 1 l", 219, 1050, 1000, 19, False, False),
    ], []),
    ("Reformhaus Lindenblatt", "organic", "Fuhlenbrock", WEEKDAYS_9_18, [
        ("Dinkelmehl Type 630, 1 kg", 349, 1000, 1500, 7, False, False),
        ("Kräutertee Abendruhe", 479, 120, 500, 7, False, False),
    ], []),
    ("Weinbar Rebstock & Kork", "wine", "Stadtmitte", WEEKDAYS_9_18, [
        ("Riesling trocken 0,75 l", 1190, 1300, 1000, 19, False, False),
        ("Spätburgunder 0,75 l", 1490, 1300, 1000, 19, False, False),
        ("Probierpaket 6 Flaschen", 6900, 8000, 7000, 19, False, True),
    ], []),
    ("Weinhandel Sonnenhang", "wine", "Kirchhellen", WEEKDAYS_9_18, [
        ("Grauburgunder 0,75 l", 1090, 1300, 1000, 19, False, False),
        ("Secco Rosé 0,75 l", 890, 1300, 1000, 19, False, False),
    ], []),
    ("Wäscherei Blütenweiß", "laundry", "Lehmkuhle", WEEKDAYS_8_20, [
        ("Wäschenetz", 590, 100, 300, 19, False, False),
    ], [("Hemden waschen und bügeln (5 Stück)", 1250, 2), ("Anzug reinigen", 1890, 3)]),
    ("Textilpflege Frischluft", "laundry", "Boy", WEEKDAYS_8_20, [], [
        ("Bettwäsche waschen und mangeln", 1490, 2)]),
    ("Schuhmacherei Absatz & Sohle", "shoes", "Stadtmitte", SPLIT_SHIFT, [
        ("Schuhcreme schwarz", 495, 100, 150, 19, False, False),
        ("Einlegesohlen Leder", 1290, 80, 200, 19, False, False),
    ], [("Absätze erneuern", 2490, 3), ("Schuhreparatur nach Begutachtung", None, 5)]),
    ("Schneiderei Nadelöhr", "tailor", "Eigen", SPLIT_SHIFT, [], [
        ("Hose kürzen", 1400, 3), ("Reißverschluss ersetzen", 1800, 4)]),
    ("Radwerk Speiche", "bikes", "Batenbrock", WEEKDAYS_9_18, [
        ("Fahrradschlauch 28 Zoll", 799, 200, 500, 19, False, False),
        ("LED-Leuchtenset", 3490, 300, 800, 19, False, False),
        ("Kindersitz", 8900, 4000, 60000, 19, False, True),
    ], [("Laufrad zentrieren", 2500, 2)]),
    ("Fahrradladen Kettenblatt", "bikes", "Vonderort", WEEKDAYS_9_18, [
        ("Kettenöl", 690, 150, 200, 19, False, False),
        ("Fahrradhelm", 5990, 400, 6000, 19, False, False),
    ], []),
    ("Unverpackt Füllgut", "zero_waste", "Stadtmitte", WEEKDAYS_9_18, [
        ("Haferflocken 500 g (Pfandglas)", 349, 900, 1000, 7, False, False),
        ("Festes Shampoo", 790, 100, 200, 19, False, False),
        ("Bambus-Zahnbürste", 390, 30, 100, 19, False, False),
    ], []),
    ("Mühlenladen Korn & Stein", "bakery", "Feldhausen", WEEKDAYS_8_20, [
        ("Roggenmehl 1 kg", 299, 1000, 1500, 7, False, False),
        ("Bauernbrot 1 kg", 459, 1000, 3000, 7, False, False),
    ], []),
    ("Bäckerei Morgenrot", "bakery", "Boy", WEEKDAYS_8_20, [
        ("Dinkelbrötchen (6 Stück)", 390, 400, 2500, 7, False, False),
        ("Streuselkuchen Blech", 1800, 2500, 9000, 7, False, True),
    ], []),
    ("Frischemarkt Am Kirchplatz", "grocery", "Stadtmitte", WEEKDAYS_8_20, [
        ("Milch 1 l", 119, 1050, 1000, 7, True, False),
        ("Kaffee gemahlen 500 g", 699, 550, 1000, 7, False, False),
        ("Mineralwasser 6 × 1,5 l", 399, 9500, 10000, 19, False, True),
        ("Bananen 1 kg", 189, 1000, 2000, 7, False, False),
        ("Butter 250 g", 249, 260, 300, 7, True, False),
    ], []),
    ("Feinkost Olivenzweig", "grocery", "Lehmkuhle", WEEKDAYS_9_18, [
        ("Olivenöl nativ extra 0,5 l", 1290, 900, 600, 7, False, False),
        ("Antipasti-Teller", 1490, 600, 800, 7, True, False),
    ], []),
    ("Kaffeerösterei Bohnenglück", "grocery", "Eigen", WEEKDAYS_9_18, [
        ("Espresso Bohnen 250 g", 899, 270, 600, 7, False, False),
        ("Filterkaffee 500 g", 1390, 520, 1100, 7, False, False),
    ], []),
    ("Käseladen Laib & Leben", "organic", "Vonderort", WEEKDAYS_9_18, [
        ("Bergkäse 300 g", 790, 320, 400, 7, True, False),
        ("Ziegenfrischkäse", 450, 160, 250, 7, True, False),
    ], []),
    ("Mittagstisch Löffelglück", "lunch", "Stadtmitte", LUNCH_HOURS, [
        ("Linseneintopf", 750, 600, 700, 7, True, False),
        ("Gemüselasagne", 890, 550, 700, 7, True, False),
    ], []),
    ("Kantine Tellerrand", "lunch", "Welheim", LUNCH_HOURS, [
        ("Tagesgericht", 690, 600, 700, 7, True, False),
    ], []),
    ("Blumenhaus Gänseblume", "flowers", "Fuhlenbrock", WEEKDAYS_8_20, [
        ("Strauß der Saison", 2490, 800, 8000, 7, False, True),
        ("Topfkräuter Basilikum", 299, 400, 1000, 7, False, False),
    ], []),
    ("Drogerie Seifenblase", "pharmacy", "Batenbrock", WEEKDAYS_8_20, [
        ("Handcreme", 395, 120, 150, 19, False, False),
        ("Zahnpasta", 195, 100, 120, 19, False, False),
    ], []),
    ("Geschenkeladen Kleinod", "gifts", "Grafenwald", WEEKDAYS_9_18, [
        ("Duftkerze", 1490, 450, 700, 19, False, False),
        ("Holzspielzeug Förderturm", 2490, 700, 3000, 19, False, False),
    ], []),
    ("Spielwaren Kreisel", "gifts", "Ebel", WEEKDAYS_9_18, [
        ("Brettspiel „Zeche“", 3490, 1200, 6000, 19, False, False),
        ("Kreisel aus Buche", 690, 100, 200, 19, False, False),
    ], []),
    ("Teehaus Samowar", "grocery", "Welheim", WEEKDAYS_9_18, [
        ("Schwarztee Ostfriesen 250 g", 690, 270, 800, 7, False, False),
    ], []),
]

PICKUP_POINTS = [
    ("Kiosk Sonnenschein", "Eigen", "Am Bahnhof 3"),
    ("Tankstelle am Südring", "Ebel", "Südring 40"),
    ("Marktstand Kirchhellen", "Kirchhellen", "Dorfstraße 12"),
    ("Kiosk Fuhlenbrock", "Fuhlenbrock", "Parkstraße 7"),
    ("Lotto-Eck Boy", "Boy", "Kirchstraße 22"),
    ("Büdchen Batenbrock", "Batenbrock", "Gartenstraße 15"),
]

LOCKERS = [
    ("Paketstation Altmarkt", "Stadtmitte", "Altmarkt 10", {"S": 8, "M": 6, "L": 2}),
    ("Paketstation Eigen", "Eigen", "Hauptstraße 120", {"S": 6, "M": 4, "L": 2}),
]

# (name, kind, capacity_g, capacity_ml, parcels, range_km, speed_kmh, cooled, bulky)
VEHICLES = [
    ("Lastenrad 1", "bike", 120_000, 400_000, 20, 50, 12.0, True, False),
    ("Lastenrad 2", "bike", 120_000, 400_000, 20, 50, 12.0, False, False),
    ("Lastenrad 3", "bike", 120_000, 400_000, 20, 50, 12.0, False, False),
    ("E-Auto 1", "car", 500_000, 2_500_000, 60, 150, 25.0, True, True),
]
