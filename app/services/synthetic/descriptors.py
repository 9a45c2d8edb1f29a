"""Raw bank descriptors: the text a bank prints for a transaction of a
known merchant, in the forms real statements use (`spendsense seed
--messy`).

A card network passes on a merchant name of at most 25 characters, a city
and a state; processors put their own prefix before the name (`SQ *`,
`TST*`, `PAYPAL *`); chains add a store number; online services a phone
number or a URL instead of the city. ACH lines carry the originator's name
cut to 16 characters, an entry description (`DES:PAYROLL`) and ids. A
checking account's debit card purchases get the bank's own channel prefix
(`CHECKCARD 0312`, `PURCHASE AUTHORIZED ON 03/12`, `DEBIT PURCHASE -VISA`).

Each merchant below lists the forms its lines take; a line picks one at
random, so the same merchant's lines differ from month to month (another
store, another form, another reference), as they do on real statements.
Placeholders: {store} a store number, {city} {st} a place, {ref} a
reference, {id10} an ACH company id, {name} the user's name.
"""

import random
import re
import zlib
from dataclasses import dataclass
from datetime import date

# Places a chain's stores are in (city as card networks print it, state).
PLACES: tuple[tuple[str, str], ...] = (
    ("OAKLAND", "CA"),
    ("SAN FRANCISCO", "CA"),
    ("LOS ANGELES", "CA"),
    ("SEATTLE", "WA"),
    ("PORTLAND", "OR"),
    ("AUSTIN", "TX"),
    ("HOUSTON", "TX"),
    ("DENVER", "CO"),
    ("CHICAGO", "IL"),
    ("NEW YORK", "NY"),
    ("BROOKLYN", "NY"),
    ("BOSTON", "MA"),
    ("ATLANTA", "GA"),
    ("MIAMI", "FL"),
    ("PHOENIX", "AZ"),
    ("SALT LAKE CITY", "UT"),
    ("MINNEAPOLIS", "MN"),
    ("RALEIGH", "NC"),
    ("COLUMBUS", "OH"),
    ("ARLINGTON", "VA"),
)

# Forms of the national merchants the generator uses, as statements print
# them. Where a merchant is missing, `_generic_forms` derives forms from its
# name (upper-cased, punctuation dropped, cut to 25 characters).
FORMS: dict[str, tuple[str, ...]] = {
    # groceries
    "Whole Foods Market": (
        "WHOLEFDS {city3} {store}",
        "WHOLE FOODS MARKET #{store} {city} {st}",
        "WFM {store} {city} {st}",
    ),
    "Trader Joe's": ("TRADER JOE S #{store} {city} {st}", "TRADER JOES #{store} {city} {st}"),
    "Safeway": ("SAFEWAY #{store} {city} {st}", "SAFEWAY STORE {store} {city} {st}"),
    "Kroger": ("KROGER #{store} {city} {st}", "KROGER {store} {city} {st}"),
    "Aldi": ("ALDI {store} {city} {st}", "ALDI #{store} {city} {st}"),
    "Publix": ("PUBLIX #{store} {city} {st}", "PUBLIX SUPER MAR {store} {city} {st}"),
    "H-E-B": ("H-E-B #{store} {city} {st}", "HEB #{store} {city} {st}"),
    "Wegmans": ("WEGMANS #{store} {city} {st}", "WEGMANS {store} {city} {st}"),
    # coffee
    "Starbucks": ("STARBUCKS STORE {store} {city} {st}", "STARBUCKS #{store} {city} {st}"),
    "Dunkin'": ("DUNKIN #{store} {city} {st}", "DUNKIN {store} {city} {st}"),
    "Peet's Coffee": ("PEETS {store} {city} {st}", "PEET'S COFFEE #{store} {city} {st}"),
    "Blue Bottle Coffee": ("SQ *BLUE BOTTLE COFFEE {city} {st}", "BLUE BOTTLE COFFEE {city} {st}"),
    # dining
    "Chipotle Mexican Grill": ("CHIPOTLE {store} {city} {st}", "CHIPOTLE ONLINE {phone} {st}"),
    "McDonald's": ("MCDONALD'S F{store} {city} {st}", "MCDONALDS {store} {city} {st}"),
    "Panera Bread": ("PANERA BREAD #{store} {city} {st}", "PANERA BREAD {store} {city} {st}"),
    "Sweetgreen": ("SWEETGREEN {city3} {city} {st}", "SQ *SWEETGREEN {city} {st}"),
    "Shake Shack": ("SHAKE SHACK {store} {city} {st}", "TST* SHAKE SHACK {store} {city} {st}"),
    "DoorDash": ("DOORDASH*{dish} {url_doordash}", "DD *DOORDASH {dish} {phone} {st}"),
    "Uber Eats": ("UBER *EATS {url_uber}", "UBER EATS {phone} {st}"),
    "Grubhub": ("GRUBHUB*{dish} {phone} {st}", "GRUBHUB {phone} {st}"),
    # transportation
    "Shell": ("SHELL OIL {store} {city} {st}", "SHELL SERVICE STATION {city} {st}"),
    "Chevron": ("CHEVRON {store} {city} {st}", "CHEVRON 0{store} {city} {st}"),
    "ExxonMobil": ("EXXONMOBIL {store} {city} {st}", "EXXON {store} {city} {st}"),
    "BP": ("BP#{store} {city} {st}", "BP {store} {city} {st}"),
    "Uber": ("UBER *TRIP {url_uber}", "UBER *TRIP HELP.UBER.COM CA", "UBER   *TRIP {ref}"),
    "Lyft": ("LYFT *RIDE {dow} {time} {phone} {st}", "LYFT   *RIDE {dow} {time}"),
    "SpotHero": ("SPOTHERO {phone} {st}", "SPOTHERO.COM {phone} IL"),
    "ParkMobile": ("PARKMOBILE {phone} {st}", "PMUSA PARKMOBILE {phone} GA"),
    # shopping
    "Amazon": (
        "AMZN MKTP US*{ref} AMZN.COM/BILL WA",
        "AMAZON.COM*{ref} AMZN.COM/BILL WA",
        "Amazon.com*{ref} Amzn.com/bill WA",
    ),
    "Target": ("TARGET {store8} {city} {st}", "TARGET T-{store} {city} {st}", "TARGET.COM *"),
    "Walmart": ("WAL-MART #{store} {city} {st}", "WM SUPERCENTER #{store} {city} {st}"),
    "Costco": ("COSTCO WHSE #{store} {city} {st}", "COSTCO GAS #{store} {city} {st}"),
    "Best Buy": ("BEST BUY {store8} {city} {st}", "BESTBUY.COM {store8} {phone} MN"),
    "TJ Maxx": ("TJ MAXX #{store} {city} {st}", "T.J. MAXX #{store} {city} {st}"),
    "Etsy": ("ETSY.COM - {seller} BROOKLYN NY", "PAYPAL *ETSY.COM {phone} CA"),
    # fun
    "AMC Theatres": ("AMC {store} ONLINE {phone} KS", "AMC {city3} {store} {city} {st}"),
    "Ticketmaster": ("TICKETMASTER {phone} CA", "TM *TICKETMASTER {phone} CA"),
    "Steam Games": ("STEAMGAMES.COM {ref} WA", "PAYPAL *STEAM GAMES {phone} WA"),
    "Dave & Buster's": ("DAVE & BUSTERS #{store} {city} {st}", "DAVE&BUSTERS {store} {city} {st}"),
    # care
    "Great Clips": ("GREAT CLIPS #{store} {city} {st}", "GREAT CLIPS {store} {city} {st}"),
    "Supercuts": ("SUPERCUTS #{store} {city} {st}", "SUPERCUTS {store} {city} {st}"),
    "Ulta Beauty": ("ULTA #{store} {city} {st}", "ULTA.COM {phone} IL"),
    "European Wax Center": (
        "EUROPEAN WAX CENTER {city} {st}",
        "SQ *EUROPEAN WAX CTR {city} {st}",
    ),
    # medical
    "CVS Pharmacy": ("CVS/PHARMACY #{store} {city} {st}", "CVS {store} {city} {st}"),
    "Walgreens": ("WALGREENS #{store} {city} {st}", "WALGREENS STORE {store} {city} {st}"),
    "Quest Diagnostics": ("QUEST DIAGNOSTICS {phone} NJ", "QUEST DIAGNOSTICS INC {city} {st}"),
    "One Medical": ("ONE MEDICAL {phone} CA", "1LIFE HEALTHCARE ONE MED {phone} CA"),
    # home
    "The Home Depot": ("THE HOME DEPOT #{store} {city} {st}", "HOMEDEPOT.COM {phone} GA"),
    "Lowe's": ("LOWES #{store}* {city} {st}", "LOWE'S #{store} {city} {st}"),
    "IKEA": ("IKEA {city3} {city} {st}", "IKEA US ONLINE {phone} PA"),
    "Ace Hardware": ("ACE HARDWARE {store} {city} {st}", "ACE HDWE #{store} {city} {st}"),
    # travel
    "Delta Air Lines": ("DELTA AIR LINES {ticket} ATLANTA GA", "DELTA {ticket} DELTA.COM GA"),
    "United Airlines": ("UNITED {ticket} {phone} TX", "UNITED AIRLINES {ticket} HOUSTON TX"),
    "Southwest Airlines": ("SOUTHWES {ticket} {phone} TX", "SOUTHWEST AIRLINES {ticket} DALLAS TX"),
    "Marriott": ("MARRIOTT {city} {city} {st}", "COURTYARD BY MARRIOTT {city} {st}"),
    "Airbnb": ("AIRBNB * {ref} AIRBNB.COM CA", "AIRBNB HM{ref} {phone} CA"),
    # civic
    "DMV": ("{st} DMV {city} {st}", "DMV {st} ONLINE {phone} {st}"),
    "American Red Cross": ("AMERICAN RED CROSS {phone} DC", "REDCROSS.ORG {phone} DC"),
    "City Parking Citation": ("CITY OF {city} PARKING CIT {st}", "{city} PARKING CITATION {st}"),
    "UNICEF USA": ("UNICEF USA {phone} NY", "PAYPAL *UNICEF USA {phone} NY"),
    # services
    "USPS": ("USPS PO {store8} {city} {st}", "USPS.COM CLICKNSHIP {phone} DC"),
    "The UPS Store": ("THE UPS STORE {store} {city} {st}", "THE UPS STORE #{store} {city} {st}"),
    "Rover Pet Services": ("ROVER.COM {phone} WA", "ROVER.COM* {ref} SEATTLE WA"),
    "TaskRabbit": ("TASKRABBIT {phone} CA", "TASKRABBIT.COM {ref} CA"),
    # subscriptions
    "Netflix": ("NETFLIX.COM 866-579-7172 CA", "NETFLIX.COM LOS GATOS CA", "NETFLIX.COM"),
    "Spotify": ("SPOTIFY USA 877-778-1161", "Spotify USA NEW YORK NY", "SPOTIFY P{ref}"),
    "Hulu": ("HLU*HULU {ref}-U HULU.COM/BILL CA", "HULU 877-824-4858 CA"),
    "Disney+": ("DISNEY PLUS 888-905-7888 CA", "DISNEYPLUS 888-9057888 CA"),
    "Max": ("MAX.COM 855-442-6629 NY", "HBO MAX 855-442-6629 NY"),
    "YouTube Premium": (
        "GOOGLE *YouTubePremium g.co/helppay#CA",
        "GOOGLE *YOUTUBE PREMIUM 650-253-0000 CA",
    ),
    "Apple Music": ("APPLE.COM/BILL 866-712-7753 CA", "APPLE.COM/BILL ITUNES.COM CA"),
    "Xbox Game Pass": ("MICROSOFT*XBOX 800-642-7676 WA", "Microsoft*Xbox Game Pass MSBILL.INFO WA"),
    "Audible": ("AUDIBLE*{ref} AMZN.COM/BILL NJ", "AUDIBLE {phone} NJ"),
    "Amazon Prime": ("AMAZON PRIME*{ref} AMZN.COM/BILL WA", "Prime Video*{ref} 888-802-3080 WA"),
    "Adobe Creative Cloud": (
        "ADOBE *CREATIVE CLOUD 408-536-6000 CA",
        "ADOBE *ADOBE 800-833-6687 CA",
    ),
    "Microsoft 365": (
        "MICROSOFT*MICROSOFT 365 P MSBILL.INFO WA",
        "MSFT * E0{ref} MSBILL.INFO WA",
    ),
    "Dropbox": ("DROPBOX*{ref} DROPBOX.COM CA", "DROPBOX {phone} CA"),
    "iCloud+": ("APPLE.COM/BILL 866-712-7753 CA", "APPLE.COM/BILL ITUNES.COM CA"),
    "The New York Times": ("NYTIMES*NYTDIGITALSUBSCR NEW YORK NY", "NYTIMES 800-698-4637 NY"),
    "Duolingo": ("DUOLINGO {phone} PA", "DUOLINGO INC PITTSBURGH PA"),
    "Planet Fitness": ("PLANET FITNESS CLUB FEES {phone} NH", "PLANET FIT CLUB FEES {phone} NH"),
    "Peloton": ("PELOTON* MEMBERSHIP {phone} NY", "PELOTON INTERACTIVE {phone} NY"),
    "ClassPass": ("CLASSPASS* MONTHLY {phone} NY", "CLASSPASS INC {phone} NY"),
    "Headspace": ("HEADSPACE.COM {phone} CA", "HEADSPACE INC SANTA MONICA CA"),
    # bills paid by card or online
    "Con Edison": ("CON ED OF NY {ach}", "CONED ONLINE PAYMENT {phone} NY"),
    "PG&E": ("PGANDE WEB ONLINE {ach}", "PG&E/EZ-PAY {ach}"),
    "Duke Energy": ("DUKE ENERGY PROGRESS {ach}", "DUKE-ENERGY {phone} NC"),
    "Georgia Power": ("GEORGIA POWER {ach}", "GA POWER CO BILL PAY {ach}"),
    "ComEd": ("COMED {ach}", "COMMONWEALTH EDISON {ach}"),
    "Xfinity": ("COMCAST CABLE COMM {ach}", "COMCAST XFINITY {phone} PA"),
    "Spectrum": ("SPECTRUM {phone} MO", "CHARTER COMMUNICATION {ach}"),
    "Verizon Fios": ("VERIZON*FIOS {phone} TX", "VZ*VERIZON FIOS {ach}"),
    "AT&T Internet": ("ATT*BILL PAYMENT {phone} TX", "AT&T INTERNET {ach}"),
    "Verizon Wireless": ("VZWRLSS*APOCC VISB {phone} FL", "VERIZON WIRELESS {ach}"),
    "T-Mobile": ("T-MOBILE*AUTO PAY {phone} WA", "TMOBILE*POSTPAID {ach}"),
    "AT&T Wireless": ("ATT*BILL PAYMENT {phone} TX", "AT&T WIRELESS {ach}"),
    "Mint Mobile": ("MINT MOBILE {phone} CA", "MINT MOBILE COSTA MESA CA"),
    "City Water & Sewer": ("CITY OF {city} WATER {ach}", "{city} WATER & SEWER {ach}"),
    "Rocket Mortgage": ("ROCKET MORTGAGE DES:MTG PYMT {ach_ids}", "QUICKEN LOANS MTG PYMT {ach}"),
    "Mr. Cooper": ("MR. COOPER DES:MORTGAGE {ach_ids}", "NATIONSTAR MORTGAGE {ach}"),
    "Chase Home Lending": ("CHASE MORTGAGE DES:HOME LOAN {ach_ids}", "CHASE HOME LENDING {ach}"),
    # brokerages (a monthly transfer out)
    "Vanguard Brokerage": ("VANGUARD BUY INVESTMENT {ach}", "VANGUARD EDI PYMNTS {ach}"),
    "Fidelity Investments": ("FID BKG SVC LLC MONEYLINE {ach}", "FIDELITY INVESTMENTS {ach}"),
    "Schwab Brokerage": ("SCHWAB BROKERAGE MONEYLINK {ach}", "SCHWAB BROKERAGE {ach}"),
    "Betterment": ("BETTERMENT DES:DEPOSIT {ach_ids}", "BETTERMENT INVESTMENT {ach}"),
    "Wealthfront": ("WEALTHFRONT DES:EDI PYMNTS {ach_ids}", "WEALTHFRONT INC {ach}"),
    # stream users' merchants
    "HelloFresh": ("HELLOFRESH {phone} NY", "HELLOFRESH.COM {phone} NY"),
    "Greenlight": ("GREENLIGHT {ach}", "GREENLIGHT FINANCIAL {phone} GA"),
    "DoorDash Dasher Pay": ("DOORDASH, INC. DES:DASHER PAY {ach_ids}", "DOORDASH DASHER {ach}"),
    "Instacart Shopper Pay": (
        "MAPLEBEAR INC DES:INSTACART {ach_ids}",
        "INSTACART SHOPPER PAY {ach}",
    ),
    "Molly Maid": ("MOLLY MAID OF {city3} {city} {st}", "SQ *MOLLY MAID {city} {st}"),
    "TruGreen Lawn Care": ("TRUGREEN {store} {phone} TN", "TRUGREEN LP {phone} TN"),
    "Terminix": ("TERMINIX {store} {phone} TN", "TERMINIX INTL {phone} TN"),
    "IRS Estimated Tax": ("IRS USATAXPYMT {ach}", "IRS DES:USATAXPYMT {ach_ids}"),
    "GEICO": ("GEICO *AUTO {phone} DC", "GEICO AUTO {ach}"),
    "Progressive Insurance": ("PROGRESSIVE INS {phone} OH", "PROG DIRECT INS {ach}"),
    "Costco Membership": ("COSTCO *ANNUAL RENEWAL {phone} WA", "COSTCO MEMBERSHIP {phone} WA"),
    "GoDaddy Domains": ("DNH*GODADDY.COM {phone} AZ", "GODADDY.COM {phone} AZ"),
    "Corner Coffee": ("SQ *CORNER COFFEE {city} {st}", "CORNER COFFEE {city} {st}"),
}

# Forms of the money that moves between a user's own accounts, of card
# payments on both sides, interest, fees and cash ({bank} the card issuer).
TRANSFER_FORMS: dict[str, tuple[str, ...]] = {
    "Online Transfer to Savings": (
        "Online Transfer to SAV ...{acct} transaction#: {ref8} {mmdd}",
        "ONLINE TRANSFER TO SAVINGS XXXXXX{acct} REF #IB{ref}",
        "Online Banking transfer to SAV {acct} Confirmation# {ref10}",
    ),
    "Online Transfer from Checking": (
        "Online Transfer from CHK ...{acct} transaction#: {ref8}",
        "ONLINE TRANSFER FROM CHECKING XXXXXX{acct} REF #IB{ref}",
        "Online Banking transfer from CHK {acct} Confirmation# {ref10}",
    ),
    "Online Transfer to Checking": (
        "Online Transfer to CHK ...{acct} transaction#: {ref8} {mmdd}",
        "ONLINE TRANSFER TO CHECKING XXXXXX{acct} REF #IB{ref}",
    ),
    "Online Transfer from Savings": (
        "Online Transfer from SAV ...{acct} transaction#: {ref8}",
        "ONLINE TRANSFER FROM SAVINGS XXXXXX{acct} REF #IB{ref}",
        "Online Banking transfer from SAV {acct} Confirmation# {ref10}",
    ),
    "Payment Thank You": (
        "PAYMENT THANK YOU",
        "AUTOPAY PAYMENT - THANK YOU",
        "ONLINE PAYMENT, THANK YOU",
        "MOBILE PAYMENT - THANK YOU",
        "INTERNET PAYMENT THANK YOU",
    ),
    "Interest Charge": (
        "INTEREST CHARGE ON PURCHASES",
        "PURCHASE INTEREST CHARGE",
        "INTEREST CHARGED TO STANDARD PURCH",
    ),
    "Late Payment Fee": ("LATE FEE", "LATE PAYMENT FEE"),
    "Interest Paid": ("INTEREST PAYMENT", "INTEREST EARNED", "Interest Paid"),
    "Checking Interest": ("INTEREST PAYMENT", "INTEREST EARNED", "INTEREST CREDIT"),
    "ATM Cash Withdrawal": (
        "ATM WITHDRAWAL {ref6} {mmdd} {street} {city} {st}",
        "NON-CHASE ATM WITHDRAW {ref6} {street} {city} {st}",
        "WITHDRWL ATM {street} {city} {st}",
        "ATM CASH WITHDRAWAL {mmdd} {ref6}",
    ),
    "Zelle Payment": (
        "Zelle payment to {friend} JPM{ref}",
        "ZELLE TO {friend} ON {mmdd} REF # PP0{ref}",
        "Zelle Transfer Conf# {ref}; {friend}",
    ),
    "Venmo": ("VENMO PAYMENT {ref10} WEB ID: 3264681992", "VENMO *{friend} VISA DIRECT NY"),
}
# Lines the bank words itself, the same way every time (per bank).
ONE_FORM = frozenset(
    {
        "Online Transfer to Savings",
        "Online Transfer from Checking",
        "Online Transfer to Checking",
        "Online Transfer from Savings",
        "Payment Thank You",
        "Interest Charge",
        "Late Payment Fee",
        "Interest Paid",
        "Checking Interest",
    }
)
CARD_PAYMENT_FORMS: dict[str, tuple[str, ...]] = {
    "Chase": (
        "CHASE CREDIT CRD AUTOPAY PPD ID: 4760039224",
        "Payment to Chase card ending in {card} {mmdd}",
    ),
    "Citi": ("CITI AUTOPAY PAYMENT {ref10} WEB ID: CITICARDAP", "CITI CARD ONLINE PAYMENT {ref10}"),
    "Capital One": (
        "CAPITAL ONE MOBILE PMT PPD ID: 9279744380",
        "CAPITAL ONE ONLINE PMT {ref10}",
    ),
    "Discover": (
        "DISCOVER E-PAYMENT {card} WEB ID: 2510020270",
        "DISCOVER DES:E-PAYMENT {ach_ids}",
    ),
    "American Express": (
        "AMEX EPAYMENT ACH PMT W{ref6} WEB ID: 1134992250",
        "AMERICAN EXPRESS DES:ACH PMT {ach_ids}",
    ),
    "Bank of America": (
        "BANK OF AMERICA CREDIT CARD BILL PAYMENT",
        "BK OF AMER VISA ONLINE PMT {ref10}",
    ),
    "Wells Fargo": ("WF CREDIT CARD AUTO PAY {ref6}", "WELLS FARGO CARD CCPYMT {ref10}"),
}
# Pay and payouts into checking (ACH credits).
PAY_FORMS: tuple[str, ...] = (
    "{ach16} DES:PAYROLL ID:{ref10} INDN:{name} CO ID:{id10} PPD",
    "{ach16} PAYROLL PPD ID: {id10}",
    "DIRECT DEPOSIT {ach16} {ref10}",
    "ORIG CO NAME:{ach16} ORIG ID:{id10} DESC DATE:{yymmdd} CO ENTRY DESCR:PAYROLL SEC:PPD",
)
CLIENT_FORMS: tuple[str, ...] = (
    "{ach16} DES:ACH PMT ID:{ref10} INDN:{name} CO ID:{id10} CCD",
    "{ach16} DES:EDI PYMNTS ID:{ref10} INDN:{name} CO ID:{id10} CCD",
    "ACH CREDIT {ach16} PAYMENT {ref10}",
)
PAYOUT_FORMS: dict[str, tuple[str, ...]] = {
    "Upwork Payout": (
        "UPWORK ESCROW IN DES:EDI PYMNTS {ach_ids}",
        "UPWORK ESCROW INC PAYOUT {ach}",
    ),
    "Fiverr Payout": ("FIVERR INTERNATI DES:PAYOUT {ach_ids}", "FIVERR PAYOUT {ach}"),
    "Etsy Seller Payout": ("ETSY INC DES:DEPOSIT {ach_ids}", "ETSY PAYOUT {ach}"),
    "Shopify Payout": ("SHOPIFY DES:PAYOUT {ach_ids}", "SHOPIFY PAYOUTS {ach}"),
}
RENT_FORMS: tuple[str, ...] = (
    "{ach16} DES:RENT ID:{ref10} INDN:{name} CO ID:{id10} WEB",
    "{ach16} WEB PMTS RENT {ref10}",
    "ORIG CO NAME:{ach16} ORIG ID:{id10} DESC DATE:{yymmdd} CO ENTRY DESCR:RENT PMT SEC:WEB",
)
# A checking account's debit card purchases, as each bank style prints them.
DEBIT_CARD_FORMS: dict[str, str] = {
    "chase": "{desc}",
    "bofa": "CHECKCARD {mmdd} {desc} {ref24}",
    "wells": "PURCHASE AUTHORIZED ON {mm_dd} {desc} S{ref11} CARD {card}",
    "usbank": "DEBIT PURCHASE -VISA {desc}",
    "pos": "POS DEBIT {desc}",
}
BANK_STYLES = tuple(DEBIT_CARD_FORMS)
# A city's water bill comes one way (its own name for itself).
WATER_LIKE = frozenset({"City Water & Sewer"})
_ACH_TAIL = ("PPD ID: {id10}", "WEB ID: {id10}", "CCD ID: {id10}")
_DISHES = ("ORDER", "DASHPASS", "CHIPOTLE", "THAI GARDEN", "PIZZA PLACE")
_STREETS = ("1200 MAIN ST", "45 MARKET ST", "310 BROADWAY", "88 PARK AVE", "7 ELM ST")
_PUNCTUATION = re.compile(r"[^A-Z0-9&*#./ -]")


@dataclass(frozen=True, slots=True)
class Context:
    """What a descriptor may mention besides the merchant."""

    when: date
    home: tuple[str, str]  # the user's city and state
    person: str  # the account holder, upper-case
    account_mask: str  # the other account of a transfer, or the card
    friends: tuple[str, ...]


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _alnum(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(count))


def _phone(rng: random.Random) -> str:
    return f"{rng.choice(('800', '855', '866', '877', '888'))}-{_digits(rng, 3)}-{_digits(rng, 4)}"


def _stable(text: str) -> int:
    """A number of `text` that is the same in every run (hash() is not)."""
    return zlib.crc32(text.encode())


def _generic_forms(merchant: str) -> tuple[str, ...]:
    """A merchant without listed forms: its name as networks print it (upper
    case, apostrophes dropped, at most 25 characters), at a place, with or
    without a store number; a small restaurant through its one processor
    (Toast, Square, or its own terminal)."""
    name = _PUNCTUATION.sub("", merchant.upper().replace("'", ""))[:25].strip()
    lowered = merchant.lower()
    if any(
        word in lowered
        for word in ("kitchen", "diner", "bistro", "grill", "taqueria", "pizzeria", "noodle")
    ):
        cut = name[:20].strip()
        place = "{city} {st}"
        forms = (f"TST* {cut} {place}", f"SQ *{cut} {place}", f"{name} {place}")
        return (forms[_stable(merchant) % len(forms)],)
    return (f"{name} #{{store}} {{city}} {{st}}", f"{name} {{city}} {{st}}")


def ach_name(name: str) -> str:
    """An ACH originator's name: upper case, at most 16 characters."""
    return _PUNCTUATION.sub("", name.upper().replace("'", ""))[:16].strip()


def _fill(
    template: str, rng: random.Random, context: Context, merchant: str, roams: bool = True
) -> str:
    """`template` with its placeholders filled; a merchant that `roams` (a
    chain, a restaurant) is now and then in another city than the user's."""
    city, st = context.home if not roams or rng.random() < 0.8 else rng.choice(PLACES)
    when = context.when
    values = {
        "store": str(rng.randint(100, 9999)),
        "store8": f"{rng.randint(1, 3000):08d}",
        "city": city,
        "city3": city.split()[0][:3],
        "st": st,
        "ref": _alnum(rng, 9),
        "ref6": _digits(rng, 6),
        "ref8": _digits(rng, 8),
        "ref10": _digits(rng, 10),
        "ref11": _digits(rng, 11),
        "ref24": _digits(rng, 24),
        "id10": _digits(rng, 10),
        "phone": _phone(rng),
        "mmdd": when.strftime("%m%d"),
        "mm_dd": when.strftime("%m/%d"),
        "yymmdd": when.strftime("%y%m%d"),
        "dow": when.strftime("%a").upper(),
        "time": f"{rng.randint(1, 12)}{rng.choice(('AM', 'PM'))}",
        "ticket": _digits(rng, 13),
        "url_uber": "HELP.UBER.COM CA",
        "url_doordash": "WWW.DOORDASH. CA",
        "dish": rng.choice(_DISHES),
        "seller": _alnum(rng, 8),
        "street": rng.choice(_STREETS),
        "acct": context.account_mask,
        "card": context.account_mask,
        "name": context.person,
        "friend": rng.choice(context.friends),
        "ach16": ach_name(merchant),
        "ach": rng.choice(_ACH_TAIL),
        "ach_ids": f"ID:{_digits(rng, 10)} INDN:{context.person} CO ID:{_digits(rng, 10)} PPD",
    }
    values["ach"] = values["ach"].format(**values)
    return " ".join(template.format(**values).split())


def descriptor(
    merchant: str,
    category: str,
    money_in: bool,
    rng: random.Random,
    context: Context,
    *,
    debit_style: str | None = None,
    issuer: str | None = None,
    habit: int = 0,
) -> str:
    """One line's raw descriptor for a transaction the generator knows as
    (`merchant`, `category`). `debit_style`: the checking account's bank
    style when a debit card paid (None on a card statement or for a bill
    paid by ACH); `issuer`: the card issuer of a card payment; `habit`: which
    of its forms the account's bank uses for the lines it words itself
    (ONE_FORM)."""

    def one_of(forms: tuple[str, ...]) -> str:
        return forms[(habit + _stable(merchant)) % len(forms)]

    if issuer is not None:
        template = rng.choice(CARD_PAYMENT_FORMS.get(issuer, ("{ach16} CARD PAYMENT {ref10}",)))
        return _fill(template, rng, context, issuer)
    if merchant in TRANSFER_FORMS:
        forms = TRANSFER_FORMS[merchant]
        # A bank words its own transfers, interest and card payments one way.
        form = forms[habit % len(forms)] if merchant in ONE_FORM else rng.choice(forms)
        return _fill(form, rng, context, merchant)
    # A payer's, a landlord's, a lender's or a broker's ACH line reads the
    # same way every month (one form per account); bills paid now by
    # autopay, now online, and purchases vary.
    if merchant in PAYOUT_FORMS:
        return _fill(one_of(PAYOUT_FORMS[merchant]), rng, context, merchant, roams=False)
    if category == "INCOME" and money_in and merchant not in FORMS:
        name = merchant.removesuffix(" Payroll").removesuffix(" ACH Deposit")
        forms = PAY_FORMS if merchant.endswith("Payroll") else CLIENT_FORMS
        return _fill(one_of(forms), rng, context, name, roams=False)
    if category == "RENT_AND_UTILITIES" and merchant not in FORMS:
        return _fill(one_of(RENT_FORMS), rng, context, merchant, roams=False)
    listed = FORMS.get(merchant)
    forms = listed or _generic_forms(merchant)
    steady = category in ("LOAN_PAYMENTS", "TRANSFER_OUT", "INCOME") or merchant in WATER_LIKE
    # Bills and a government's offices are the user's own city's.
    bill = category in (
        "RENT_AND_UTILITIES", "LOAN_PAYMENTS", "TRANSFER_OUT", "INCOME",
        "GOVERNMENT_AND_NON_PROFIT",
    )  # fmt: skip
    form = one_of(forms) if steady else rng.choice(forms)
    # A chain is now and then visited elsewhere; a local business stays put.
    text = _fill(form, rng, context, merchant, roams=not bill and listed is not None)
    if debit_style is not None and "{ach" not in " ".join(forms):
        text = _fill(DEBIT_CARD_FORMS[debit_style].replace("{desc}", text), rng, context, merchant)
    return text


_REFERENCE = re.compile(r"^(?:S?\d{6,}|CARD|\d{4})$")


def pending_form(posted: str) -> str:
    """How a card purchase reads while pending: the authorization's text,
    without the bank's trailing references and the place, cut at 40
    characters."""
    words = posted.split()
    while len(words) > 2 and _REFERENCE.match(words[-1]):
        words.pop()
    if len(words) > 3 and len(words[-1]) == 2 and words[-1].isalpha():
        words = words[:-2]
    return " ".join(words)[:40].strip()
