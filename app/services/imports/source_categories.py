"""Categories a source states in its own words, mapped to ours: the bank's
CSV "Category" column (Chase, Capital One, Discover, Amex, Mint, YNAB and
similar exports) and Plaid's legacy `category` list.

Bank names are compared normalised: lower-case, `&` read as "and", any
other punctuation a space (so "Gas/Automotive", "Food & Drink" and "food and
drink" each find their entry). A name of several parts ("Auto & Transport:
Gas & Fuel", "Restaurant-Restaurant", "Bills: Rent") is looked up whole,
then by its last part, then by its first.
"""

import re

from app.services.imports.category_tables import (
    ACCOUNT_TRANSFER,
    CARD_PAYMENT,
    CASH,
    DIVIDENDS,
    INTEREST_CHARGE,
    INTEREST_EARNED,
    WAGES,
    BySign,
    Cat,
    Rule,
)

_INTEREST = BySign(INTEREST_CHARGE, INTEREST_EARNED)
_FEES = Cat("BANK_FEES", "OTHER_BANK_FEES")

BANK_CATEGORIES: dict[str, Rule] = {
    # food
    "food and drink": Cat("FOOD_AND_DRINK"),
    "food and dining": Cat("FOOD_AND_DRINK"),
    "dining": Cat("FOOD_AND_DRINK", "RESTAURANT"),
    "dining out": Cat("FOOD_AND_DRINK", "RESTAURANT"),
    "restaurant": Cat("FOOD_AND_DRINK", "RESTAURANT"),
    "restaurants": Cat("FOOD_AND_DRINK", "RESTAURANT"),
    "fast food": Cat("FOOD_AND_DRINK", "FAST_FOOD"),
    "coffee shops": Cat("FOOD_AND_DRINK", "COFFEE"),
    "coffee": Cat("FOOD_AND_DRINK", "COFFEE"),
    "groceries": Cat("FOOD_AND_DRINK", "GROCERIES"),
    "grocery": Cat("FOOD_AND_DRINK", "GROCERIES"),
    "supermarkets": Cat("FOOD_AND_DRINK", "GROCERIES"),
    "alcohol and bars": Cat("FOOD_AND_DRINK", "BEER_WINE_AND_LIQUOR"),
    "bars": Cat("FOOD_AND_DRINK", "BEER_WINE_AND_LIQUOR"),
    # transportation
    "gas": Cat("TRANSPORTATION", "GAS"),
    "gasoline": Cat("TRANSPORTATION", "GAS"),
    "gas and fuel": Cat("TRANSPORTATION", "GAS"),
    "fuel": Cat("TRANSPORTATION", "GAS"),
    "gas automotive": Cat("TRANSPORTATION", "GAS"),
    "automotive": Cat("TRANSPORTATION"),
    "auto and transport": Cat("TRANSPORTATION"),
    "transportation": Cat("TRANSPORTATION"),
    "parking": Cat("TRANSPORTATION", "PARKING"),
    "public transportation": Cat("TRANSPORTATION", "PUBLIC_TRANSIT"),
    "ride share": Cat("TRANSPORTATION", "TAXIS_AND_RIDE_SHARES"),
    "rideshare": Cat("TRANSPORTATION", "TAXIS_AND_RIDE_SHARES"),
    "taxi": Cat("TRANSPORTATION", "TAXIS_AND_RIDE_SHARES"),
    "tolls": Cat("TRANSPORTATION", "TOLLS"),
    "auto maintenance": Cat("GENERAL_SERVICES", "AUTOMOTIVE"),
    "service and parts": Cat("GENERAL_SERVICES", "AUTOMOTIVE"),
    # travel
    "travel": Cat("TRAVEL"),
    "air travel": Cat("TRAVEL", "FLIGHTS"),
    "airfare": Cat("TRAVEL", "FLIGHTS"),
    "airlines": Cat("TRAVEL", "FLIGHTS"),
    "hotel": Cat("TRAVEL", "LODGING"),
    "lodging": Cat("TRAVEL", "LODGING"),
    "car rental": Cat("TRAVEL", "RENTAL_CARS"),
    "rental car and taxi": Cat("TRAVEL", "RENTAL_CARS"),
    "vacation": Cat("TRAVEL"),
    "other travel": Cat("TRAVEL", "OTHER_TRAVEL"),
    "travel entertainment": Cat("TRAVEL"),
    # shopping
    "shopping": Cat("GENERAL_MERCHANDISE"),
    "merchandise": Cat("GENERAL_MERCHANDISE"),
    "general merchandise": Cat("GENERAL_MERCHANDISE"),
    "merchandise and supplies": Cat("GENERAL_MERCHANDISE"),
    "clothing": Cat("GENERAL_MERCHANDISE", "CLOTHING_AND_ACCESSORIES"),
    "electronics and software": Cat("GENERAL_MERCHANDISE", "ELECTRONICS"),
    "electronics": Cat("GENERAL_MERCHANDISE", "ELECTRONICS"),
    "books": Cat("GENERAL_MERCHANDISE", "BOOKSTORES_AND_NEWSSTANDS"),
    "department stores": Cat("GENERAL_MERCHANDISE", "DEPARTMENT_STORES"),
    "warehouse clubs": Cat("GENERAL_MERCHANDISE", "SUPERSTORES"),
    "pets": Cat("GENERAL_MERCHANDISE", "PET_SUPPLIES"),
    "pet food and supplies": Cat("GENERAL_MERCHANDISE", "PET_SUPPLIES"),
    "gifts": Cat("GENERAL_MERCHANDISE", "GIFTS_AND_NOVELTIES"),
    "sporting goods": Cat("GENERAL_MERCHANDISE", "SPORTING_GOODS"),
    "office supplies": Cat("GENERAL_MERCHANDISE", "OFFICE_SUPPLIES"),
    # entertainment
    "entertainment": Cat("ENTERTAINMENT"),
    "movies and dvds": Cat("ENTERTAINMENT", "TV_AND_MOVIES"),
    "music": Cat("ENTERTAINMENT", "MUSIC_AND_AUDIO"),
    "arts": Cat("ENTERTAINMENT", "SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS"),
    "subscriptions": Cat("ENTERTAINMENT"),
    "streaming services": Cat("ENTERTAINMENT", "TV_AND_MOVIES"),
    # bills
    "bills and utilities": Cat("RENT_AND_UTILITIES"),
    "utilities": Cat("RENT_AND_UTILITIES", "OTHER_UTILITIES"),
    "electric": Cat("RENT_AND_UTILITIES", "GAS_AND_ELECTRICITY"),
    "water": Cat("RENT_AND_UTILITIES", "WATER"),
    "internet": Cat("RENT_AND_UTILITIES", "INTERNET_AND_CABLE"),
    "television": Cat("RENT_AND_UTILITIES", "INTERNET_AND_CABLE"),
    "phone cable": Cat("RENT_AND_UTILITIES", "INTERNET_AND_CABLE"),
    "mobile phone": Cat("RENT_AND_UTILITIES", "TELEPHONE"),
    "cellphone": Cat("RENT_AND_UTILITIES", "TELEPHONE"),
    "home phone": Cat("RENT_AND_UTILITIES", "TELEPHONE"),
    "phone": Cat("RENT_AND_UTILITIES", "TELEPHONE"),
    "rent": Cat("RENT_AND_UTILITIES", "RENT"),
    "rent mortgage": Cat("RENT_AND_UTILITIES", "RENT"),
    "mortgage and rent": Cat("RENT_AND_UTILITIES", "RENT"),
    "mortgage": Cat("LOAN_PAYMENTS", "MORTGAGE_PAYMENT"),
    # home
    "home": Cat("HOME_IMPROVEMENT"),
    "home improvement": Cat("HOME_IMPROVEMENT"),
    "home supplies": Cat("HOME_IMPROVEMENT", "OTHER_HOME_IMPROVEMENT"),
    "furnishings": Cat("HOME_IMPROVEMENT", "FURNITURE"),
    "lawn and garden": Cat("HOME_IMPROVEMENT", "OTHER_HOME_IMPROVEMENT"),
    "home services": Cat("HOME_IMPROVEMENT", "REPAIR_AND_MAINTENANCE"),
    # health and personal care
    "health and wellness": Cat("MEDICAL"),
    "health and fitness": Cat("MEDICAL"),
    "health care": Cat("MEDICAL"),
    "healthcare": Cat("MEDICAL"),
    "medical": Cat("MEDICAL"),
    "medical services": Cat("MEDICAL"),
    "doctor": Cat("MEDICAL", "PRIMARY_CARE"),
    "dentist": Cat("MEDICAL", "DENTAL_CARE"),
    "eyecare": Cat("MEDICAL", "EYE_CARE"),
    "pharmacy": Cat("MEDICAL", "PHARMACIES_AND_SUPPLEMENTS"),
    "gym": Cat("PERSONAL_CARE", "GYMS_AND_FITNESS_CENTERS"),
    "personal": Cat("PERSONAL_CARE"),
    "personal care": Cat("PERSONAL_CARE"),
    "hair": Cat("PERSONAL_CARE", "HAIR_AND_BEAUTY"),
    "spa and massage": Cat("PERSONAL_CARE", "OTHER_PERSONAL_CARE"),
    # services
    "professional services": Cat("GENERAL_SERVICES", "CONSULTING_AND_LEGAL"),
    "services": Cat("GENERAL_SERVICES"),
    "other services": Cat("GENERAL_SERVICES", "OTHER_GENERAL_SERVICES"),
    "business services": Cat("GENERAL_SERVICES"),
    "insurance": Cat("GENERAL_SERVICES", "INSURANCE"),
    "auto insurance": Cat("GENERAL_SERVICES", "INSURANCE"),
    "health insurance": Cat("GENERAL_SERVICES", "INSURANCE"),
    "education": Cat("GENERAL_SERVICES", "EDUCATION"),
    "tuition": Cat("GENERAL_SERVICES", "EDUCATION"),
    "childcare": Cat("GENERAL_SERVICES", "CHILDCARE"),
    "kids": Cat("GENERAL_SERVICES", "CHILDCARE"),
    "shipping": Cat("GENERAL_SERVICES", "POSTAGE_AND_SHIPPING"),
    # government and giving
    "gifts and donations": Cat("GOVERNMENT_AND_NON_PROFIT", "DONATIONS"),
    "charity": Cat("GOVERNMENT_AND_NON_PROFIT", "DONATIONS"),
    "donations": Cat("GOVERNMENT_AND_NON_PROFIT", "DONATIONS"),
    "government": Cat("GOVERNMENT_AND_NON_PROFIT"),
    "government services": Cat("GOVERNMENT_AND_NON_PROFIT"),
    "taxes": Cat("GOVERNMENT_AND_NON_PROFIT", "TAX_PAYMENT"),
    "federal tax": Cat("GOVERNMENT_AND_NON_PROFIT", "TAX_PAYMENT"),
    "state tax": Cat("GOVERNMENT_AND_NON_PROFIT", "TAX_PAYMENT"),
    # fees
    "fees and adjustments": Cat("BANK_FEES"),
    "fees and charges": Cat("BANK_FEES"),
    "fees": Cat("BANK_FEES"),
    "fee": Cat("BANK_FEES"),
    "bank fee": _FEES,
    "bank fees": _FEES,
    "service fee": _FEES,
    "late fee": _FEES,
    "atm fee": Cat("BANK_FEES", "ATM_FEES"),
    "finance charge": INTEREST_CHARGE,
    "fee interest charge": INTEREST_CHARGE,
    "interest charge": INTEREST_CHARGE,
    "interest": _INTEREST,
    # income
    "income": Cat("INCOME"),
    "paycheck": WAGES,
    "payroll": WAGES,
    "salary": WAGES,
    "wages": WAGES,
    "bonus": WAGES,
    "interest income": INTEREST_EARNED,
    "dividend": DIVIDENDS,
    "dividends": DIVIDENDS,
    "dividend and cap gains": DIVIDENDS,
    "tax refund": Cat("INCOME", "TAX_REFUND"),
    # money moving
    "transfer": ACCOUNT_TRANSFER,
    "transfers": ACCOUNT_TRANSFER,
    "transfer for cash spending": CASH,
    "cash and atm": CASH,
    "atm": CASH,
    "cash": CASH,
    "credit card payment": CARD_PAYMENT,
    "payment": CARD_PAYMENT,
    "payments": CARD_PAYMENT,
    "payment credit": CARD_PAYMENT,
    "payments and credits": CARD_PAYMENT,
    "loans": Cat("LOAN_PAYMENTS"),
    "loan payment": Cat("LOAN_PAYMENTS", "OTHER_PAYMENT"),
    "student loan": Cat("LOAN_PAYMENTS", "STUDENT_LOAN_PAYMENT"),
    "auto payment": Cat("LOAN_PAYMENTS", "CAR_PAYMENT"),
}

_PUNCTUATION = re.compile(r"[^a-z0-9+]+")
_PARTS = re.compile(r"\s*(?:[-:>|/]|\s-\s)\s*")


def _key(name: str) -> str:
    return _PUNCTUATION.sub(" ", name.lower().replace("&", " and ")).strip()


def bank_category(name: str) -> Rule | None:
    """The rule a bank's own category name maps to, if the table has it."""
    found = BANK_CATEGORIES.get(_key(name))
    if found is None:
        parts = [part for part in _PARTS.split(name) if part.strip()]
        if len(parts) > 1:
            found = BANK_CATEGORIES.get(_key(parts[-1])) or BANK_CATEGORIES.get(_key(parts[0]))
    return found


# Plaid's legacy hierarchy, most specific first: the longest prefix of the
# list that the table has decides.
PLAID_LEGACY: dict[tuple[str, ...], Rule] = {
    ("food and drink", "restaurants", "coffee shop"): Cat("FOOD_AND_DRINK", "COFFEE"),
    ("food and drink", "restaurants", "fast food"): Cat("FOOD_AND_DRINK", "FAST_FOOD"),
    ("food and drink", "restaurants"): Cat("FOOD_AND_DRINK", "RESTAURANT"),
    ("food and drink", "bar"): Cat("FOOD_AND_DRINK", "BEER_WINE_AND_LIQUOR"),
    ("food and drink",): Cat("FOOD_AND_DRINK"),
    ("shops", "supermarkets and groceries"): Cat("FOOD_AND_DRINK", "GROCERIES"),
    ("shops", "food and beverage store"): Cat("FOOD_AND_DRINK", "GROCERIES"),
    ("shops", "pharmacies"): Cat("MEDICAL", "PHARMACIES_AND_SUPPLEMENTS"),
    ("shops", "hardware store"): Cat("HOME_IMPROVEMENT", "HARDWARE"),
    ("shops", "furniture and home decor"): Cat("HOME_IMPROVEMENT", "FURNITURE"),
    ("shops", "computers and electronics"): Cat("GENERAL_MERCHANDISE", "ELECTRONICS"),
    ("shops", "clothing and accessories"): Cat("GENERAL_MERCHANDISE", "CLOTHING_AND_ACCESSORIES"),
    ("shops", "convenience stores"): Cat("GENERAL_MERCHANDISE", "CONVENIENCE_STORES"),
    ("shops", "department stores"): Cat("GENERAL_MERCHANDISE", "DEPARTMENT_STORES"),
    ("shops", "warehouses and wholesale stores"): Cat("GENERAL_MERCHANDISE", "SUPERSTORES"),
    ("shops", "bookstores"): Cat("GENERAL_MERCHANDISE", "BOOKSTORES_AND_NEWSSTANDS"),
    ("shops", "pets"): Cat("GENERAL_MERCHANDISE", "PET_SUPPLIES"),
    ("shops", "sporting goods"): Cat("GENERAL_MERCHANDISE", "SPORTING_GOODS"),
    ("shops", "digital purchase"): Cat("GENERAL_MERCHANDISE", "ONLINE_MARKETPLACES"),
    ("shops",): Cat("GENERAL_MERCHANDISE"),
    ("travel", "airlines and aviation services"): Cat("TRAVEL", "FLIGHTS"),
    ("travel", "lodging"): Cat("TRAVEL", "LODGING"),
    ("travel", "car service"): Cat("TRANSPORTATION", "TAXIS_AND_RIDE_SHARES"),
    ("travel", "taxi"): Cat("TRANSPORTATION", "TAXIS_AND_RIDE_SHARES"),
    ("travel", "public transportation services"): Cat("TRANSPORTATION", "PUBLIC_TRANSIT"),
    ("travel", "gas stations"): Cat("TRANSPORTATION", "GAS"),
    ("travel", "parking"): Cat("TRANSPORTATION", "PARKING"),
    ("travel", "car and truck rentals"): Cat("TRAVEL", "RENTAL_CARS"),
    ("travel",): Cat("TRAVEL"),
    ("recreation", "gyms and fitness centers"): Cat("PERSONAL_CARE", "GYMS_AND_FITNESS_CENTERS"),
    ("recreation",): Cat("ENTERTAINMENT"),
    ("arts and entertainment",): Cat("ENTERTAINMENT"),
    ("service", "utilities", "electric"): Cat("RENT_AND_UTILITIES", "GAS_AND_ELECTRICITY"),
    ("service", "utilities", "gas"): Cat("RENT_AND_UTILITIES", "GAS_AND_ELECTRICITY"),
    ("service", "utilities", "water"): Cat("RENT_AND_UTILITIES", "WATER"),
    ("service", "utilities", "sanitary and waste management"): Cat(
        "RENT_AND_UTILITIES", "SEWAGE_AND_WASTE_MANAGEMENT"
    ),
    ("service", "utilities"): Cat("RENT_AND_UTILITIES", "OTHER_UTILITIES"),
    ("service", "telecommunication services"): Cat("RENT_AND_UTILITIES", "TELEPHONE"),
    ("service", "cable"): Cat("RENT_AND_UTILITIES", "INTERNET_AND_CABLE"),
    ("service", "internet services"): Cat("RENT_AND_UTILITIES", "INTERNET_AND_CABLE"),
    ("service", "insurance"): Cat("GENERAL_SERVICES", "INSURANCE"),
    ("service", "automotive"): Cat("GENERAL_SERVICES", "AUTOMOTIVE"),
    ("service", "shipping and freight"): Cat("GENERAL_SERVICES", "POSTAGE_AND_SHIPPING"),
    ("service", "personal care"): Cat("PERSONAL_CARE"),
    ("service", "financial"): Cat("GENERAL_SERVICES", "ACCOUNTING_AND_FINANCIAL_PLANNING"),
    ("service", "education"): Cat("GENERAL_SERVICES", "EDUCATION"),
    ("service",): Cat("GENERAL_SERVICES"),
    ("healthcare", "healthcare services", "dentists"): Cat("MEDICAL", "DENTAL_CARE"),
    ("healthcare",): Cat("MEDICAL"),
    ("community", "education"): Cat("GENERAL_SERVICES", "EDUCATION"),
    ("community", "government departments and agencies"): Cat(
        "GOVERNMENT_AND_NON_PROFIT", "GOVERNMENT_DEPARTMENTS_AND_AGENCIES"
    ),
    ("community",): Cat("GOVERNMENT_AND_NON_PROFIT"),
    ("tax", "refund"): Cat("INCOME", "TAX_REFUND"),
    ("tax",): Cat("GOVERNMENT_AND_NON_PROFIT", "TAX_PAYMENT"),
    ("bank fees", "overdraft"): Cat("BANK_FEES", "OVERDRAFT_FEES"),
    ("bank fees", "atm"): Cat("BANK_FEES", "ATM_FEES"),
    ("bank fees", "foreign transaction"): Cat("BANK_FEES", "FOREIGN_TRANSACTION_FEES"),
    ("bank fees", "insufficient funds"): Cat("BANK_FEES", "INSUFFICIENT_FUNDS"),
    ("bank fees",): _FEES,
    ("interest", "interest earned"): INTEREST_EARNED,
    ("interest", "interest charged"): INTEREST_CHARGE,
    ("interest",): _INTEREST,
    ("payment", "credit card"): CARD_PAYMENT,
    ("payment", "rent"): Cat("RENT_AND_UTILITIES", "RENT"),
    ("payment", "loan"): Cat("LOAN_PAYMENTS", "OTHER_PAYMENT"),
    ("payment",): Cat("LOAN_PAYMENTS"),
    ("transfer", "payroll"): WAGES,
    ("transfer", "deposit"): Cat("TRANSFER_IN", "DEPOSIT"),
    ("transfer", "withdrawal"): Cat("TRANSFER_OUT", "WITHDRAWAL"),
    ("transfer", "credit"): Cat("TRANSFER_IN"),
    ("transfer", "debit"): Cat("TRANSFER_OUT"),
    ("transfer",): ACCOUNT_TRANSFER,
    ("cash advance",): Cat("TRANSFER_IN", "CASH_ADVANCES_AND_LOANS"),
}


def plaid_legacy_category(names: list[str]) -> Rule | None:
    """The rule of the longest known prefix of Plaid's legacy list."""
    parts = tuple(" ".join(name.lower().replace("&", "and").split()) for name in names)
    for end in range(len(parts), 0, -1):
        if found := PLAID_LEGACY.get(parts[:end]):
            return found
    return None
