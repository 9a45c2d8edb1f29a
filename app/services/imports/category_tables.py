"""The categorizer's data: which words, names and source categories mean
which category. Categories are Plaid's personal finance categories (the
sixteen primaries plus OTHER; detailed names are Plaid's too). The rules
that use these tables, and their order, are in categories.py."""

from dataclasses import dataclass

PRIMARIES = frozenset(
    {
        "INCOME",
        "TRANSFER_IN",
        "TRANSFER_OUT",
        "LOAN_PAYMENTS",
        "BANK_FEES",
        "ENTERTAINMENT",
        "FOOD_AND_DRINK",
        "GENERAL_MERCHANDISE",
        "HOME_IMPROVEMENT",
        "MEDICAL",
        "PERSONAL_CARE",
        "GENERAL_SERVICES",
        "GOVERNMENT_AND_NON_PROFIT",
        "TRANSPORTATION",
        "TRAVEL",
        "RENT_AND_UTILITIES",
    }
)
OTHER = "OTHER"
VOCABULARY = PRIMARIES | {OTHER}


@dataclass(frozen=True, slots=True)
class Cat:
    """A category: `primary` and, when known, Plaid's detailed name
    (`primary` + "_" + `detail`)."""

    primary: str
    detail: str | None = None

    @property
    def detailed(self) -> str | None:
        return f"{self.primary}_{self.detail}" if self.detail else None


@dataclass(frozen=True, slots=True)
class BySign:
    """Money out is `out`, money in is `into` (a transfer's direction)."""

    out: Cat
    into: Cat

    def pick(self, amount: int) -> Cat:
        return self.out if amount > 0 else self.into


Rule = Cat | BySign

INTEREST_CHARGE = Cat("BANK_FEES", "INTEREST_CHARGE")
INTEREST_EARNED = Cat("INCOME", "INTEREST_EARNED")
DIVIDENDS = Cat("INCOME", "DIVIDENDS")
WAGES = Cat("INCOME", "WAGES")
CARD_PAYMENT = Cat("LOAN_PAYMENTS", "CREDIT_CARD_PAYMENT")
ACCOUNT_TRANSFER = BySign(
    Cat("TRANSFER_OUT", "ACCOUNT_TRANSFER"), Cat("TRANSFER_IN", "ACCOUNT_TRANSFER")
)
CASH = BySign(Cat("TRANSFER_OUT", "WITHDRAWAL"), Cat("TRANSFER_IN", "DEPOSIT"))

# The merchant name given to an interest charge whose name does not say
# "interest": the engine finds a card's interest charges by that word.
INTEREST_MERCHANT = "Interest Charge"

# --- OFX TRNTYPE (spec'd: detailed names only where the contract gives them)
TRNTYPE_IN: dict[str, Cat] = {
    "INT": INTEREST_EARNED,
    "DIV": DIVIDENDS,
    "DIRECTDEP": WAGES,
    "ATM": Cat("TRANSFER_IN"),
}
TRNTYPE_OUT: dict[str, Cat] = {
    "INT": INTEREST_CHARGE,
    "ATM": Cat("TRANSFER_OUT"),
}
TRNTYPE_ANY: dict[str, Cat] = {"FEE": Cat("BANK_FEES"), "SRVCHG": Cat("BANK_FEES")}

# --- built-in keywords: (pattern on the upper-cased description and
# merchant, direction "out" / "in" / "" for either, card-only?, category).
# The first that matches wins, in this order.
KEYWORDS: tuple[tuple[str, str, bool, Rule], ...] = (
    (
        r"PAYROLL|DIR(?:ECT)? ?DEP|DIRECTDEP|SALARY|PAYCHECK|\bADP\b|GUSTO|PAYCHEX|\bWAGES?\b",
        "in",
        False,
        WAGES,
    ),
    (r"INTEREST|FINANCE CHARGE", "out", False, INTEREST_CHARGE),
    (r"DIVIDEND", "in", False, DIVIDENDS),
    (r"INTEREST|\bINT (?:PAID|EARNED|CREDIT|PAYMENT)", "in", False, INTEREST_EARNED),
    # A card's own side of a card payment: money in that says "payment"
    # (on any account when it thanks for it, as only card issuers do).
    (r"PAYMENT\W*THANK YOU|THANK YOU\W*PAYMENT", "in", False, CARD_PAYMENT),
    (r"PAYMENT|PYMT|\bPMT\b|AUTOPAY|AUTO PAY", "in", True, CARD_PAYMENT),
    (r"TAX REF", "in", False, Cat("INCOME", "TAX_REFUND")),
    # The bank side: money out to a card issuer.
    (
        r"CREDIT CA?R?D|\bCRD\b|CARD ?(?:PAYMENT|PMT|SERVICES?)|CARDMEMBER|\bCC (?:PAYMENT|PMT)|"
        r"(?:AMEX|AMERICAN EXPRESS) ?(?:E-?PAYMENT|ACH PMT|PAYMENT|AUTOPAY)|"
        r"DISCOVER ?(?:E-?PAYMENT|PAYMENT|AUTOPAY)|CAPITAL ONE (?:MOBILE |ONLINE )?(?:PMT|PAYMENT)|"
        r"CITI (?:AUTOPAY|CARD|PAYMENT)|APPLECARD|BARCLAYCARD|SYNCHRONY|PAYMENT TO CHASE|"
        # Issuers' ACH lines with the entry description after DES: (Bank of
        # America), Wells Fargo's card payment code, Bank of America's card.
        r"(?:AMEX|AMERICAN EXPRESS|DISCOVER) DES:(?:ACH PMT|E-?PAYMENT)|CCPYMT|"
        r"BK OF AMER (?:VISA|MC)",
        "out",
        False,
        CARD_PAYMENT,
    ),
    (
        r"MORTGAGE|HOME LENDING|MR\.? COOPER|NATIONSTAR|QUICKEN LOANS|\bMTG (?:PYMT|PMT)",
        "out",
        False,
        Cat("LOAN_PAYMENTS", "MORTGAGE_PAYMENT"),
    ),
    (
        r"STUDENT LOAN|NAVIENT|NELNET|SALLIE MAE|MOHELA|DEPT ?OF ?ED",
        "out",
        False,
        Cat("LOAN_PAYMENTS", "STUDENT_LOAN_PAYMENT"),
    ),
    (
        r"AUTO LOAN|CAR PAYMENT|(?:TOYOTA|HONDA|FORD|NISSAN) (?:FINANCIAL|MOTOR CREDIT)|ALLY AUTO",
        "out",
        False,
        Cat("LOAN_PAYMENTS", "CAR_PAYMENT"),
    ),
    (r"LOAN (?:PAYMENT|PMT)", "out", False, Cat("LOAN_PAYMENTS", "PERSONAL_LOAN_PAYMENT")),
    # Peer-to-peer: a move of money, not a purchase (as Plaid and our
    # generator classify Zelle and Venmo).
    (
        # Greenlight: money moved onto a child's debit card.
        r"ZELLE|VENMO|CASH APP|SQUARE CASH|PAYPAL (?:INST XFER|TRANSFER|XFER)|APPLE CASH|"
        r"GREENLIGHT",
        "",
        False,
        ACCOUNT_TRANSFER,
    ),
    (
        r"VANGUARD|FIDELITY|FID BKG SVC|SCHWAB|BETTERMENT|WEALTHFRONT|ROBINHOOD|BROKERAGE",
        "",
        False,
        BySign(
            Cat("TRANSFER_OUT", "INVESTMENT_AND_RETIREMENT_FUNDS"),
            Cat("TRANSFER_IN", "INVESTMENT_AND_RETIREMENT_FUNDS"),
        ),
    ),
    (r"\bTRANSFER\b|\bXFER\b|\bTRNSFR\b", "", False, ACCOUNT_TRANSFER),
    # Money in that a business originates through ACH (a corporate CCD
    # entry, an "ACH CREDIT" line, entry descriptions of payouts and
    # supplier payments, gig platforms' pay): a client's or a platform's
    # pay, not wages from an employer's payroll.
    (
        r"\bCCD\b|^ACH CREDIT\b|DES:\s*(?:EDI PYMNTS|ACH PMT|PAYOUT|DEPOSIT|DASHER PAY|INSTACART)|"
        r"\bPAYOUTS?\b|DASHER\b|SHOPPER PAY",
        "in",
        False,
        Cat("INCOME", "OTHER_INCOME"),
    ),
    (r"OVERDRAFT|\bOD FEE", "", False, Cat("BANK_FEES", "OVERDRAFT_FEES")),
    (
        r"\bNSF\b|INSUFFICIENT FUNDS|RETURNED ITEM",
        "",
        False,
        Cat("BANK_FEES", "INSUFFICIENT_FUNDS"),
    ),
    # A fee, not the withdrawal itself ("NON-CHASE ATM WITHDRAW" is cash).
    (r"ATM (?:FEE|SURCHARGE)", "", False, Cat("BANK_FEES", "ATM_FEES")),
    (
        r"FOREIGN (?:TRANSACTION|TRANS|EXCHANGE) FEE|INTL? (?:TRANSACTION|TRANS) FEE",
        "",
        False,
        Cat("BANK_FEES", "FOREIGN_TRANSACTION_FEES"),
    ),
    (
        r"(?:MONTHLY|SERVICE|MAINTENANCE|MAINT|ANNUAL|LATE|WIRE|PAPER STATEMENT) ?(?:PAYMENT )?FEE|"
        r"SERVICE CHARGE",
        "",
        False,
        Cat("BANK_FEES", "OTHER_BANK_FEES"),
    ),
    (r"\bATM\b|CASH WITHDRAWAL|WITHDRAWAL AT", "", False, CASH),
    (
        r"\bRENT\b|\bAPARTMENTS?\b|\bAPTS?\b|PROP(?:ERTY)? (?:MANAGEMENT|MGMT|MGT)|LEASING|"
        r"RENTCAFE",
        "",
        False,
        Cat("RENT_AND_UTILITIES", "RENT"),
    ),
    (
        r"ELECTRIC|\bPOWER\b|ENERGY|EDISON|PG ?& ?E|PGANDE|CON ?ED|\bCOMED\b|DUKE EN|NATIONAL GRID|"
        r"SOCALGAS|"
        r"\bGAS (?:CO|COMPANY|& ELECTRIC|AND ELECTRIC)\b",
        "",
        False,
        Cat("RENT_AND_UTILITIES", "GAS_AND_ELECTRICITY"),
    ),
    (r"\bWATER\b|\bSEWER", "", False, Cat("RENT_AND_UTILITIES", "WATER")),
    (
        r"WASTE MANAGEMENT|REPUBLIC SERVICES|\bTRASH\b|GARBAGE",
        "",
        False,
        Cat("RENT_AND_UTILITIES", "SEWAGE_AND_WASTE_MANAGEMENT"),
    ),
    (
        r"COMCAST|XFINITY|SPECTRUM|COX COMM|FIOS|INTERNET|\bCABLE\b|BROADBAND|DIRECTV|DISH NETWORK",
        "",
        False,
        Cat("RENT_AND_UTILITIES", "INTERNET_AND_CABLE"),
    ),
    (
        r"VERIZON|AT ?& ?T|T-MOBILE|TMOBILE|SPRINT|MINT MOBILE|CRICKET|BOOST MOBILE|WIRELESS|"
        r"TELEPHONE|\bPHONE\b",
        "",
        False,
        Cat("RENT_AND_UTILITIES", "TELEPHONE"),
    ),
    (r"\bUTILIT(?:Y|IES)\b", "", False, Cat("RENT_AND_UTILITIES", "OTHER_UTILITIES")),
)

# --- well-known merchants, by merchant key (lower-case name), then by words
# in the name. The names are those merchants.normalize_merchant gives.
_ENTERTAINMENT_TV = Cat("ENTERTAINMENT", "TV_AND_MOVIES")
_MUSIC = Cat("ENTERTAINMENT", "MUSIC_AND_AUDIO")
_COFFEE = Cat("FOOD_AND_DRINK", "COFFEE")
_FAST_FOOD = Cat("FOOD_AND_DRINK", "FAST_FOOD")
_RESTAURANT = Cat("FOOD_AND_DRINK", "RESTAURANT")
_GROCERIES = Cat("FOOD_AND_DRINK", "GROCERIES")
_ONLINE = Cat("GENERAL_MERCHANDISE", "ONLINE_MARKETPLACES")
_SUPERSTORE = Cat("GENERAL_MERCHANDISE", "SUPERSTORES")
_GAS = Cat("TRANSPORTATION", "GAS")
_RIDES = Cat("TRANSPORTATION", "TAXIS_AND_RIDE_SHARES")
_FLIGHTS = Cat("TRAVEL", "FLIGHTS")
_LODGING = Cat("TRAVEL", "LODGING")
_HARDWARE = Cat("HOME_IMPROVEMENT", "HARDWARE")
_PHARMACY = Cat("MEDICAL", "PHARMACIES_AND_SUPPLEMENTS")
_GYM = Cat("PERSONAL_CARE", "GYMS_AND_FITNESS_CENTERS")
_SOFTWARE = Cat("GENERAL_SERVICES", "OTHER_GENERAL_SERVICES")

MERCHANTS: dict[str, Cat] = {
    "netflix": _ENTERTAINMENT_TV,
    "hulu": _ENTERTAINMENT_TV,
    "disney+": _ENTERTAINMENT_TV,
    "max": _ENTERTAINMENT_TV,
    "youtube": _ENTERTAINMENT_TV,
    "spotify": _MUSIC,
    "audible": _MUSIC,
    "apple": Cat("GENERAL_MERCHANDISE", "ELECTRONICS"),
    "google": _SOFTWARE,
    "amazon": _ONLINE,
    "amazon prime": _ONLINE,
    "ebay": _ONLINE,
    "etsy": _ONLINE,
    "target": _SUPERSTORE,
    "walmart": _SUPERSTORE,
    "costco": _SUPERSTORE,
    "best buy": Cat("GENERAL_MERCHANDISE", "ELECTRONICS"),
    "7-eleven": Cat("GENERAL_MERCHANDISE", "CONVENIENCE_STORES"),
    "starbucks": _COFFEE,
    "dunkin'": _COFFEE,
    "blue bottle coffee": _COFFEE,
    "mcdonald's": _FAST_FOOD,
    "chipotle": _FAST_FOOD,
    "panera bread": _RESTAURANT,
    "doordash": _RESTAURANT,
    "uber eats": _RESTAURANT,
    "grubhub": _RESTAURANT,
    "instacart": _GROCERIES,
    "whole foods market": _GROCERIES,
    "trader joe's": _GROCERIES,
    "safeway": _GROCERIES,
    "kroger": _GROCERIES,
    "shell": _GAS,
    "chevron": _GAS,
    "exxonmobil": _GAS,
    "phillips 66": _GAS,
    "uber": _RIDES,
    "lyft": _RIDES,
    "airbnb": _LODGING,
    "delta air lines": _FLIGHTS,
    "united airlines": _FLIGHTS,
    "southwest airlines": _FLIGHTS,
    "the home depot": _HARDWARE,
    "lowe's": _HARDWARE,
    "ikea": Cat("HOME_IMPROVEMENT", "FURNITURE"),
    "cvs pharmacy": _PHARMACY,
    "walgreens": _PHARMACY,
    "planet fitness": _GYM,
    "peloton": _GYM,
    "microsoft": _SOFTWARE,
    "adobe": _SOFTWARE,
    "dropbox": _SOFTWARE,
    "the new york times": Cat("GENERAL_MERCHANDISE", "BOOKSTORES_AND_NEWSSTANDS"),
    "geico": Cat("GENERAL_SERVICES", "INSURANCE"),
    "american red cross": Cat("GOVERNMENT_AND_NON_PROFIT", "DONATIONS"),
    "progressive": Cat("GENERAL_SERVICES", "INSURANCE"),
    "peet's coffee": _COFFEE,
    "sweetgreen": _RESTAURANT,
    "shake shack": _FAST_FOOD,
    "hellofresh": _GROCERIES,
    "aldi": _GROCERIES,
    "publix": _GROCERIES,
    "h-e-b": _GROCERIES,
    "wegmans": _GROCERIES,
    "bp": _GAS,
    "tj maxx": Cat("GENERAL_MERCHANDISE", "CLOTHING_AND_ACCESSORIES"),
    "costco membership": _SUPERSTORE,
    "amc theatres": _ENTERTAINMENT_TV,
    "ticketmaster": Cat("ENTERTAINMENT", "SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS"),
    "steam": Cat("ENTERTAINMENT", "VIDEO_GAMES"),
    "xbox": Cat("ENTERTAINMENT", "VIDEO_GAMES"),
    "dave & buster's": Cat("ENTERTAINMENT", "OTHER_ENTERTAINMENT"),
    "great clips": Cat("PERSONAL_CARE", "HAIR_AND_BEAUTY"),
    "supercuts": Cat("PERSONAL_CARE", "HAIR_AND_BEAUTY"),
    "ulta beauty": Cat("PERSONAL_CARE", "HAIR_AND_BEAUTY"),
    "european wax center": Cat("PERSONAL_CARE", "HAIR_AND_BEAUTY"),
    "classpass": _GYM,
    "headspace": Cat("PERSONAL_CARE", "OTHER_PERSONAL_CARE"),
    "quest diagnostics": Cat("MEDICAL", "PRIMARY_CARE"),
    "one medical": Cat("MEDICAL", "PRIMARY_CARE"),
    "ace hardware": _HARDWARE,
    "usps": Cat("GENERAL_SERVICES", "POSTAGE_AND_SHIPPING"),
    "the ups store": Cat("GENERAL_SERVICES", "POSTAGE_AND_SHIPPING"),
    "rover": Cat("GENERAL_SERVICES", "OTHER_GENERAL_SERVICES"),
    "taskrabbit": Cat("GENERAL_SERVICES", "OTHER_GENERAL_SERVICES"),
    "molly maid": Cat("GENERAL_SERVICES", "OTHER_GENERAL_SERVICES"),
    "terminix": Cat("GENERAL_SERVICES", "OTHER_GENERAL_SERVICES"),
    "trugreen": Cat("HOME_IMPROVEMENT", "REPAIR_AND_MAINTENANCE"),
    "godaddy": _SOFTWARE,
    "duolingo": Cat("GENERAL_SERVICES", "EDUCATION"),
    "microsoft 365": _SOFTWARE,
    "marriott": _LODGING,
    "spothero": Cat("TRANSPORTATION", "PARKING"),
    "parkmobile": Cat("TRANSPORTATION", "PARKING"),
}

# Words in a merchant's name or description that tell its trade.
MERCHANT_WORDS: tuple[tuple[str, Cat], ...] = (
    (r"^TST ?\*", _RESTAURANT),  # Toast takes payments for restaurants only
    (r"COFFEE|\bCAFE\b|ESPRESSO", _COFFEE),
    (r"\bAIRLINES?\b|\bAIRWAYS\b|\bAIR LINES\b", _FLIGHTS),
    (r"\bHOTELS?\b|\bMOTEL\b|\bINN\b|MARRIOTT|HILTON|HYATT", _LODGING),
    (r"RENT-?A-?CAR|\bHERTZ\b|\bAVIS\b|ENTERPRISE RENT", Cat("TRAVEL", "RENTAL_CARS")),
    # A city's parking ticket is a fine paid to the government, not parking.
    (
        r"PARKING CIT(?:ATION)?|CITATION",
        Cat("GOVERNMENT_AND_NON_PROFIT", "GOVERNMENT_DEPARTMENTS_AND_AGENCIES"),
    ),
    (r"PARKING|PARKMOBILE|SPOTHERO", Cat("TRANSPORTATION", "PARKING")),
    (r"\bTOLLS?\b|E-?ZPASS|FASTRAK", Cat("TRANSPORTATION", "TOLLS")),
    (
        r"\bTRANSIT\b|\bMETRO\b|\bMTA\b|\bBART\b|CLIPPER|CALTRAIN",
        Cat("TRANSPORTATION", "PUBLIC_TRANSIT"),
    ),
    (r"\bTAXI\b|\bCAB\b", _RIDES),
    (
        r"\bFUEL\b|\bGAS STATION\b|\bPETRO|\bGASOLINE\b|\bARCO\b|\bSUNOCO\b|\bTEXACO\b|\bVALERO\b",
        _GAS,
    ),
    (r"PHARMACY|\bDRUGS?\b|RITE AID", _PHARMACY),
    (r"DENTAL|DENTIST|ORTHODONT", Cat("MEDICAL", "DENTAL_CARE")),
    (r"OPTOMETR|VISION|EYE ?CARE", Cat("MEDICAL", "EYE_CARE")),
    (r"VETERINAR|\bVET\b|ANIMAL HOSP", Cat("MEDICAL", "VETERINARY_SERVICES")),
    (
        r"HOSPITAL|CLINIC|MEDICAL|PHYSICIAN|URGENT CARE|\bLABCORP\b|QUEST DIAG",
        Cat("MEDICAL", "PRIMARY_CARE"),
    ),
    (r"\bGYM\b|FITNESS|\bYOGA\b|CROSSFIT|CLIMBING", _GYM),
    (
        r"SALON|BARBER|\bHAIR\b|\bNAILS?\b|\bSPA\b|SUPERCUTS|GREAT CLIPS",
        Cat("PERSONAL_CARE", "HAIR_AND_BEAUTY"),
    ),
    (
        r"LAUNDROMAT|LAUNDRY SERV|DRY CLEAN|\bCLEANERS\b",
        Cat("PERSONAL_CARE", "LAUNDRY_AND_DRY_CLEANING"),
    ),
    (r"INSURANCE|STATE FARM|ALLSTATE|PROGRESSIVE", Cat("GENERAL_SERVICES", "INSURANCE")),
    (r"\bUSPS\b|\bUPS\b|FEDEX|POSTAL|POST OFFICE", Cat("GENERAL_SERVICES", "POSTAGE_AND_SHIPPING")),
    (r"TUITION|UNIVERSITY|COLLEGE|\bSCHOOL\b|COURSERA|UDEMY", Cat("GENERAL_SERVICES", "EDUCATION")),
    (r"CHILDCARE|DAYCARE|DAY CARE", Cat("GENERAL_SERVICES", "CHILDCARE")),
    (
        r"\bAUTO (?:REPAIR|SERVICE|PARTS)|JIFFY LUBE|CAR WASH|AUTOZONE",
        Cat("GENERAL_SERVICES", "AUTOMOTIVE"),
    ),
    (
        r"\bIRS\b|US TREASURY|TREAS TAX|TAX PAYMENT|FRANCHISE TAX|DEPT OF REVENUE",
        Cat("GOVERNMENT_AND_NON_PROFIT", "TAX_PAYMENT"),
    ),
    (
        r"\bDMV\b|CITY OF|COUNTY OF|STATE OF|COURT",
        Cat("GOVERNMENT_AND_NON_PROFIT", "GOVERNMENT_DEPARTMENTS_AND_AGENCIES"),
    ),
    (
        r"DONATION|CHARITY|RED ?CROSS|UNICEF|GOFUNDME|\bCHURCH\b",
        Cat("GOVERNMENT_AND_NON_PROFIT", "DONATIONS"),
    ),
    (r"HARDWARE|ACE HDWE|MENARDS", _HARDWARE),
    (r"FURNITURE|WAYFAIR", Cat("HOME_IMPROVEMENT", "FURNITURE")),
    (
        r"LIQUOR|\bWINE\b|\bBREWING\b|\bBREWERY\b|\bPUB\b|\bTAVERN\b",
        Cat("FOOD_AND_DRINK", "BEER_WINE_AND_LIQUOR"),
    ),
    (r"GROCERY|SUPERMARKET|\bMARKET\b|\bFOODS\b|ALDI|PUBLIX|WEGMANS|\bH-E-B\b", _GROCERIES),
    (
        r"RESTAURANT|\bGRILL\b|PIZZ|\bDINER\b|TAQUERIA|SUSHI|BURGER|\bKITCHEN\b|BISTRO|\bBBQ\b|"
        r"\bTHAI\b|NOODLE|\bTACOS?\b|\bDELI\b|BAKERY|\bEATS?\b|SWEETGREEN|SHAKE SHACK",
        _RESTAURANT,
    ),
    (
        r"CINEMA|THEATRE|THEATER|TICKETMASTER|\bAMC\b|\bSTEAM\b|NINTENDO|PLAYSTATION|XBOX",
        Cat("ENTERTAINMENT", "OTHER_ENTERTAINMENT"),
    ),
    (
        r"CLOTHING|APPAREL|\bGAP\b|\bH&M\b|ZARA|NORDSTROM|\bTJ ?MAXX\b|MARSHALLS|OLD NAVY",
        Cat("GENERAL_MERCHANDISE", "CLOTHING_AND_ACCESSORIES"),
    ),
    (r"\bPETCO\b|PETSMART|CHEWY", Cat("GENERAL_MERCHANDISE", "PET_SUPPLIES")),
    (
        r"PARTY CITY|HALLOWEEN|GUITAR CENTER",
        Cat("GENERAL_MERCHANDISE", "OTHER_GENERAL_MERCHANDISE"),
    ),
    (r"SEPHORA", Cat("PERSONAL_CARE", "HAIR_AND_BEAUTY")),
    (r"BOOKS?\b|BARNES", Cat("GENERAL_MERCHANDISE", "BOOKSTORES_AND_NEWSSTANDS")),
)
