"""The demo data's words and numbers: Czech names, places, code lists, companies and bank details."""

from __future__ import annotations

import random
from typing import NamedTuple

# Word lists and tables, kept as dense as they read best: the formatter leaves them alone.
# fmt: off
# --- People and companies --------------------------------------------------------------------

MALE_FIRST_NAMES = (
    "Jan", "Petr", "Pavel", "Jiří", "Josef", "Tomáš", "Martin", "Jaroslav", "Miroslav", "Zdeněk",
    "Václav", "Michal", "František", "Jakub", "Lukáš", "Ondřej", "Karel", "Milan", "Vojtěch",
    "Radek", "Matěj", "Štěpán", "Filip", "Aleš", "Roman", "Luboš", "Dušan",
)
FEMALE_FIRST_NAMES = (
    "Marie", "Jana", "Eva", "Hana", "Anna", "Lenka", "Kateřina", "Lucie", "Věra", "Alena", "Petra",
    "Veronika", "Jaroslava", "Tereza", "Martina", "Michaela", "Zuzana", "Ludmila", "Helena",
    "Ivana", "Monika", "Markéta", "Barbora", "Šárka", "Klára", "Božena", "Dagmar",
)
# Czech surnames change with gender, not always by a rule (Němec → Němcová), so both are listed.
SURNAMES = (
    ("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Novotný", "Novotná"), ("Dvořák", "Dvořáková"),
    ("Černý", "Černá"), ("Procházka", "Procházková"), ("Kučera", "Kučerová"), ("Veselý", "Veselá"),
    ("Horák", "Horáková"), ("Němec", "Němcová"), ("Marek", "Marková"), ("Pospíšil", "Pospíšilová"),
    ("Pokorný", "Pokorná"), ("Hájek", "Hájková"), ("Král", "Králová"), ("Jelínek", "Jelínková"),
    ("Růžička", "Růžičková"), ("Beneš", "Benešová"), ("Fiala", "Fialová"), ("Sedláček", "Sedláčková"),
    ("Doležal", "Doležalová"), ("Zeman", "Zemanová"), ("Kolář", "Kolářová"), ("Navrátil", "Navrátilová"),
    ("Čermák", "Čermáková"), ("Vaněk", "Vaňková"), ("Urban", "Urbanová"), ("Blažek", "Blažková"),
    ("Kříž", "Křížová"), ("Kovář", "Kovářová"), ("Bartoš", "Bartošová"), ("Vlček", "Vlčková"),
    ("Polák", "Poláková"), ("Musil", "Musilová"), ("Šimek", "Šimková"), ("Štěpánek", "Štěpánková"),
    ("Kopecký", "Kopecká"), ("Holub", "Holubová"), ("Žák", "Žáková"), ("Říha", "Říhová"),
    ("Šťastný", "Šťastná"), ("Ševčík", "Ševčíková"), ("Čech", "Čechová"), ("Malý", "Malá"),
    ("Vávra", "Vávrová"), ("Ptáček", "Ptáčková"),
)
COMPANY_ADJECTIVES = (
    "Žlutý", "Zlatý", "Modrý", "Zelený", "Bílý", "Rudý", "Rychlý", "Starý", "Nový", "Veselý",
    "Český", "Moravský", "Tichý", "Šikovný", "Horní",
)
COMPANY_NOUNS = (
    "kůň", "lev", "dub", "most", "mlýn", "sokol", "medvěd", "klíč", "pramen", "vrch", "dvůr",
    "čáp", "jelen", "rybník", "kámen",
)
TRADES = (
    "Stavby", "Instalatérství", "Pekárna", "Autoservis", "Elektro", "Truhlářství", "Účetnictví",
    "Zahradnictví", "Kadeřnictví", "Řeznictví", "Pneuservis",
)
LEGAL_FORMS = ("s.r.o.", "s.r.o.", "s.r.o.", "spol. s r.o.", "a.s.", "v.o.s.")
PERSON_ROLES = ("jednatel", "účetní", "technik", "správce budovy", "provozní", "asistentka ředitele")
MAIL_DOMAINS = ("seznam.cz", "seznam.cz", "email.cz", "gmail.com", "gmail.com", "centrum.cz",
                "volny.cz", "post.cz", "atlas.cz", "icloud.com")
MOBILE_PREFIXES = ("601", "602", "603", "604", "605", "606", "607", "608", "702", "704", "720",
                   "721", "722", "723", "724", "725", "728", "730", "731", "732", "733", "734",
                   "736", "737", "739", "770", "773", "774", "775", "776", "777", "778", "790")
MARKED_REASONS = (
    "Opakovaně platí po splatnosti", "VIP – vyřizovat přednostně", "Hlásí časté výpadky, volat předem",
    "Dohodnut splátkový kalendář", "Nutná kontrola přípojky", "Reklamace rychlosti v řešení",
)
INTERNAL_NOTES = (
    "Router v předsíni nad dveřmi", "Klíče od sklepa má správce domu", "Preferuje kontakt e-mailem",
    "Zásuvka za skříní v obýváku", "Sleva 10 % do konce roku", "Pes na zahradě, zvonit dvakrát",
    "Volat až po 16. hodině", "Přechod od konkurence", "Kabel veden lištou po chodbě",
)

# --- Places ------------------------------------------------------------------------------------



class Place(NamedTuple):
    """A city contacts live in: its postcodes, landline area code, centre, share of contacts, streets."""

    postcodes: tuple[str, ...]
    area_code: str
    lat: float
    lon: float
    weight: int
    streets: tuple[str, ...]


CITIES = {
    "Praha": Place(("110 00", "120 00", "130 00", "140 00", "150 00", "160 00", "170 00", "180 00",
               "190 00", "141 00", "155 00"), "2", 50.0755, 14.4378, 40, (
        "Vinohradská", "Korunní", "Táborská", "Sokolovská", "Bělehradská", "Londýnská", "Jeseniova",
        "Seifertova", "Koněvova", "Na Pankráci", "Jugoslávských partyzánů", "Evropská", "Plzeňská",
        "Nádražní", "Štefánikova", "Vršovická", "Kodaňská", "Milady Horákové", "Dukelských hrdinů",
        "Chodovská", "Türkova", "Roztylská", "U Stírky", "Zenklova", "Čimická", "Kubánské náměstí",
    )),
    "Brno": Place(("602 00", "612 00", "615 00", "616 00", "621 00", "625 00", "628 00", "638 00"),
             "54", 49.1951, 16.6068, 14, (
        "Masarykova", "Údolní", "Cejl", "Křenová", "Kounicova", "Purkyňova", "Bzenecká",
        "Horníkova", "Jírova", "Kamenice", "Starobrněnská", "Lidická", "Palackého třída", "Vídeňská",
    )),
    "Ostrava": Place(("702 00", "703 00", "708 00", "709 00", "710 00"), "59", 49.8209, 18.2625, 10, (
        "Hlavní třída", "Nádražní", "Opavská", "Výškovická", "Dr. Martínka", "Horní", "Dělnická",
        "Porubská", "Hlučínská", "28. října",
    )),
    "Plzeň": Place(("301 00", "312 00", "318 00", "323 00", "326 00"), "37", 49.7384, 13.3736, 8, (
        "Klatovská třída", "Americká", "Slovanská alej", "Gerská", "Lábkova", "Rokycanská",
        "Univerzitní", "Husova", "Skupova",
    )),
    "Olomouc": Place(("772 00", "779 00", "783 71"), "58", 49.5938, 17.2509, 6, (
        "Třída Svobody", "Dobrovského", "Trnkova", "Foerstrova", "Velkomoravská", "Jílová",
        "Schweitzerova",
    )),
    "Liberec": Place(("460 01", "460 07", "460 15"), "48", 50.7663, 15.0543, 5, (
        "Moskevská", "Jablonecká", "Husova", "Švermova", "Dobiášova", "Kašparova",
    )),
    "České Budějovice": Place(("370 01", "370 05", "370 06", "370 07"), "38", 48.9745, 14.4743, 5, (
        "Lidická", "Husova tř.", "Pražská tř.", "Nádražní", "Vrbenská", "Krčínova",
    )),
    "Hradec Králové": Place(("500 02", "500 03", "500 09", "500 12"), "49", 50.2092, 15.8328, 5, (
        "Gočárova třída", "Pražská třída", "Třebešská", "Brněnská", "Hradecká", "Zámečnická",
    )),
    "Pardubice": Place(("530 02", "530 03", "530 09", "530 12"), "46", 50.0343, 15.7812, 4, (
        "Třída Míru", "Palackého", "Jana Palacha", "Družstevní", "Benešovo náměstí",
    )),
    "Zlín": Place(("760 01", "760 05"), "57", 49.2265, 17.6707, 3, (
        "Třída Tomáše Bati", "Štefánikova", "Okružní", "Mostní", "Dlouhá",
    )),
}
# Cities with CATV wiring, with the share of the network each gets.
CATV_CITIES = {"Praha": 50, "Brno": 20, "Plzeň": 15, "Olomouc": 15}

# --- Code lists and invoice groups -------------------------------------------------------------

CLIENT_GROUPS = ("VIP", "Zaměstnanci", "Firmy", "Bytová družstva", "Školy a úřady")
CLIENT_STATUSES = (
    ("Nový klient", "#3498db", None, None),
    ("Dlužník", "#e74c3c", "pohledavky@netcom-praha.cz", 7),
    ("Výpověď", "#f39c12", None, None),
    ("Reklamace", "#9b59b6", "reklamace@netcom-praha.cz", 3),
    ("Prověřit", "#7f8c8d", None, None),
)
LOCATIONS = (
    "Praha – Žižkov, AP Jeseniova", "Praha – Smíchov, věž Anděl", "Praha – Chodov, POP Roztyly",
    "Brno – Líšeň, stožár Horníkova", "Plzeň – Bory, POP Klatovská", "Olomouc – Nová Ulice",
    "Ostrava – Poruba, AP Hlavní třída",
)
# service type: ((tariff, monthly price), ...)
TARIFFS = {
    "Internet": (("Internet 50/10 Mb/s", "349.00"), ("Internet 100/20 Mb/s", "449.00"),
                 ("Internet 300/50 Mb/s", "549.00"), ("Internet 1000/100 Mb/s", "749.00")),
    "Cable TV - CATV": (("CATV Základ", "150.00"), ("CATV Rozšířená nabídka", "290.00")),
    "IPTV": (("IPTV Start", "199.00"), ("IPTV Komplet", "399.00")),
    "VoIP": (("VoIP Paušál", "99.00"), ("VoIP Neomezeně", "249.00")),
}
INVOICE_GROUPS = (
    {"name": "NetCom Praha", "company_name": "NetCom Praha s.r.o.", "street": "Vinohradská 1233/22",
     "city": "Praha", "postcode": "120 00", "email": "fakturace@netcom-praha.cz",
     "phone": "+420222512345", "web": "https://www.netcom-praha.cz",
     "footer": "Zapsáno v obchodním rejstříku u Městského soudu v Praze, oddíl C."},
    {"name": "NetCom Morava", "company_name": "NetCom Morava s.r.o.", "street": "Masarykova 427/31",
     "city": "Brno", "postcode": "602 00", "email": "fakturace@netcom-morava.cz",
     "phone": "+420542212345", "web": "https://www.netcom-morava.cz",
     "footer": "Zapsáno v obchodním rejstříku u Krajského soudu v Brně, oddíl C."},
    {"name": "KabelTV Plzeň", "company_name": "Kabelová televize Plzeň a.s.",
     "street": "Klatovská třída 1960/88", "city": "Plzeň", "postcode": "301 00",
     "email": "fakturace@kabeltv-plzen.cz", "phone": "+420377123456",
     "web": "https://www.kabeltv-plzen.cz",
     "footer": "Zapsáno v obchodním rejstříku u Krajského soudu v Plzni, oddíl B."},
)
# Czech bank codes with their BIC, as the Czech National Bank lists them.
BANKS = (("0100", "KOMBCZPP"), ("0300", "CEKOCZPP"), ("0600", "AGBACZPP"), ("0800", "GIBACZPX"),
         ("2010", "FIOBCZPP"), ("2700", "BACXCZPP"), ("3030", "AIRACZPP"), ("5500", "RZBCCZPP"),
         ("6210", "BREXCZPP"))
BANK_ACCOUNT_WEIGHTS = (6, 3, 7, 9, 10, 5, 8, 4, 2, 1)


# fmt: on

# --- Numbers with check digits -----------------------------------------------------------------


def company_id(rng: random.Random) -> str:
    """A random IČO: seven digits and the mod-11 check digit."""
    digits = [rng.randint(1, 8)] + [rng.randint(0, 9) for _ in range(6)]
    total = sum((8 - i) * d for i, d in enumerate(digits))
    return "".join(map(str, digits)) + str((11 - total % 11) % 10)


def _account_part(rng: random.Random, length: int) -> str:
    """Digits whose weighted sum is divisible by 11, as Czech account prefixes and numbers need."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(length - 2)]
        weights = BANK_ACCOUNT_WEIGHTS[-length:]
        # The last digit weighs 1, so it alone settles the sum; 10 is no digit, hence the retry.
        last = -sum(w * d for w, d in zip(weights, digits)) % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def bank_details(rng: random.Random) -> tuple[str, str, str]:
    """A valid Czech bank account number with its IBAN and BIC."""
    bank, bic = rng.choice(BANKS)
    prefix = _account_part(rng, rng.randint(2, 6)) if rng.random() < 0.2 else ""
    number = _account_part(rng, rng.choice((6, 8, 10, 10)))
    account = f"{prefix}-{number}/{bank}" if prefix else f"{number}/{bank}"
    bban = bank + prefix.zfill(6) + number.zfill(10)
    # ISO 13616 mod 97: BBAN, then "CZ00" as digits (C=12, Z=35); 98 minus the remainder is the check.
    check = 98 - int(bban + "123500") % 97
    return account, f"CZ{check:02d}{bban}", bic
