"""The merchant normalizer: every rule, with descriptors as banks write them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.imports.merchants import KNOWN_MERCHANTS, normalize_merchant

WELLS_TRADER_JOES = (
    "PURCHASE AUTHORIZED ON 04/12 TRADER JOE S #552 SAN FRANCISCO CA S384102719 CARD 1234"
)
WELLS_SPOTIFY = (
    "RECURRING PAYMENT AUTHORIZED ON 04/01 SPOTIFY USA 877-778-1161 NY S584092112 CARD 9999"
)
CHASE_ACH = "ORIG CO NAME:GUSTO ORIG ID:9138864001 DESC DATE:041224 CO ENTRY DESCR:PAY SEC:PPD"


@pytest.mark.parametrize(
    ("descriptor", "merchant"),
    [
        # the contract's examples
        ("NETFLIX.COM 866-579-7172 CA", "Netflix"),
        ("SQ *BLUE BOTTLE COFFEE #12 OAKLAND CA", "Blue Bottle Coffee"),
        ("SPOTIFY USA 877-778-1161", "Spotify"),
        # known merchants and processor aliases
        ("HLU*HULU 1234567 HULU.COM/BILLCA", "Hulu"),
        ("HULU 877-8244858 CA", "Hulu"),
        ("AMZN MKTP US*2K3AB1C2", "Amazon"),
        ("AMZN Mktp US*RT4YH7AB1", "Amazon"),
        ("AMAZON.COM*RT4YH7 AMZN.COM/BILL WA", "Amazon"),
        ("Amazon.com*MK1234", "Amazon"),
        ("AMAZON PRIME*2K3AB1C2 AMZN.COM/BILL WA", "Amazon Prime"),
        ("PAYPAL *NETFLIX 4029357733 CA", "Netflix"),
        ("GOOGLE *YouTubePremium g.co/helppay#", "YouTube"),
        ("APPLE.COM/BILL 866-712-7753 CA", "Apple"),
        ("UBER *TRIP HELP.UBER.COM", "Uber"),
        ("UBER *EATS PENDING", "Uber Eats"),
        ("DD *DOORDASH CHIPOTLE 855-973-1040 CA", "DoorDash"),
        ("WHOLEFDS SFO 10234 SAN FRANCISCO CA", "Whole Foods Market"),
        ("TRADER JOE S #552 QPS SAN FRANCISCO CA", "Trader Joe's"),
        ("MCDONALD'S F12345 DALLAS TX", "McDonald's"),
        ("7-ELEVEN 34521 AUSTIN TX", "7-Eleven"),
        ("PHILLIPS 66 - FRED'S 0042", "Phillips 66"),
        ("COMCAST CABLE COMM 800-266-2278 PA", "Xfinity"),
        ("VZWRLSS*APOCC VISB 800-922-0204 FL", "Verizon"),
        # channel prefixes
        ("CHECKCARD 0412 SHELL OIL 57444712 HOUSTON TX", "Shell"),
        ("CHECKCARD 0412 JOE'S PIZZA 0042 BROOKLYN NY", "Joe's Pizza"),
        (WELLS_TRADER_JOES, "Trader Joe's"),
        ("PURCHASE AUTHORIZED ON 04/12 LOCAL BAKERY PORTLAND OR S304102719 CARD 1234",
         "Local Bakery"),
        (WELLS_SPOTIFY, "Spotify"),
        ("POS DEBIT STARBUCKS STORE 12345 SEATTLE WA", "Starbucks"),
        ("POS PURCHASE GREEN GROCER 4417", "Green Grocer"),
        ("POS BLUE SKY DINER", "Blue Sky Diner"),
        ("DEBIT CARD PURCHASE XXXX1234 CHIPOTLE 0042 NEW YORK NY", "Chipotle"),
        ("DEBIT CARD PURCHASE - CORNER DELI 04/11 JERSEY CITY NJ", "Corner Deli"),
        ("ACH DEBIT GEICO AUTO PMT 123456", "GEICO"),
        ("ACH CREDIT ACME CORP PAYROLL PPD ID: 9876543210", "Acme Corp Payroll"),
        ("ACH DEBIT CITY WATER DEPT WEB ID: 1234567890", "City Water Dept"),
        ("WWW.COSTCO.COM 800-955-2292 WA", "Costco"),
        # processor prefixes
        ("TST* THE FRENCH LAUNDRY YOUNTVILLE CA", "The French Laundry"),
        ("TST*MOMOFUKU NOODLE BAR NEW YORK NY", "Momofuku Noodle Bar"),
        ("PAYPAL *ETSYSELLER 4029357733 CA", "Etsy"),
        ("PAYPAL *JOESGARAGE 4029357733 CA", "Joesgarage"),
        ("PP*GYMSHARK LTD", "Gymshark Ltd"),
        ("SP * ALLBIRDS SAN FRANCISCO CA", "Allbirds"),
        ("SQU*SQ *SIGHTGLASS COFFEE San Francisco CA", "Sightglass Coffee"),
        # ACH lines as Chase and Bank of America write them
        (CHASE_ACH, "Gusto"),
        ("COMCAST DES:CABLE ID:123456 INDN:JANE DOE CO ID:0000 PPD", "Xfinity"),
        ("ACME CORP DES:PAYROLL ID:XXXXX4567 INDN:DOE,JANE CO ID:XXXXX1234 PPD", "Acme Corp"),
        ("NAVIENT DES:ED LOAN ID:1234 INDN:JANE DOE CO ID:0000 WEB", "Navient"),
        ("DISCOVER E-PAYMENT 1234 WEB ID: 2510020270", "Discover Card Payment"),
        # noise: store numbers, phones, card digits, dates, references, .com
        ("BARNES & NOBLE #2611 SEATTLE WA", "Barnes & Noble"),
        ("ULTA BEAUTY 0042", "Ulta Beauty"),
        ("SUNRISE CLEANERS (415) 555-0199", "Sunrise Cleaners"),
        ("SUNRISE CLEANERS 1-800-555-0199", "Sunrise Cleaners"),
        ("GYM MEMBERSHIP XXXXXX1234", "Gym Membership"),
        ("GYM MEMBERSHIP *1234", "Gym Membership"),
        ("PARKING METER 04/12/2024", "Parking Meter"),
        ("PARKING METER 2024-04-12", "Parking Meter"),
        ("ZELLE PAYMENT TO JOHN SMITH JPM99ABC1234", "Zelle Payment To John Smith"),
        ("ZELLE PAYMENT FROM JANE ROE BACABC12345", "Zelle Payment From Jane Roe"),
        ("VENMO PAYMENT 1023456789 WEB ID: 3264681992", "Venmo"),
        ("HEADSPACE.COM", "Headspace"),
        ("SOMESHOP.NET/BILL", "Someshop"),
        # location and country words
        ("RITUAL ROASTERS OAKLAND CA", "Ritual Roasters"),
        ("CAFE REGGIO NEW YORK NY", "Cafe Reggio"),
        ("TARTINE BAKERY SAN FRANCISCO CA", "Tartine Bakery"),
        ("DELTA SONIC SALT LAKE CITY UT", "Delta Sonic"),
        ("NETFLIX CA", "Netflix"),
        ("ODDLY NAMED SHOP CA", "Oddly Named"),
        ("LOCAL PIZZA CO", "Local Pizza Co"),
        ("PIZZA CO", "Pizza Co"),
        ("SOME STREAMING USA", "Some Streaming"),
        ("SOME STREAMING US", "Some Streaming"),
        ("RITUAL ROASTERS OAKLAND CA USA", "Ritual Roasters"),
        # whitespace and title case
        ("ACME    CORP     PAYROLL", "Acme Corp Payroll"),
        ("CVS/PHARMACY #1234 BOSTON MA", "CVS Pharmacy"),
        ("DMV RENEWAL 0042", "DMV Renewal"),
        ("CAFÉ ROYAL #12 PARIS TX", "Café Royal"),
        ("Touchstone Climbing", "Touchstone Climbing"),
        # nothing but noise: the descriptor itself
        ("#1234", "#1234"),
    ],
)  # fmt: skip
def test_descriptors(descriptor: str, merchant: str) -> None:
    assert normalize_merchant(descriptor) == merchant


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_is_none(empty: str | None) -> None:
    assert normalize_merchant(empty) is None


@pytest.mark.parametrize(("name", "aliases"), KNOWN_MERCHANTS)
def test_every_known_merchant_alias_wins(name: str, aliases: str) -> None:
    @given(st.from_regex(aliases, fullmatch=True).filter(lambda alias: alias.strip() == alias))
    def check(alias: str) -> None:
        assert normalize_merchant(f"{alias} 1234 SEATTLE WA") == name
        assert normalize_merchant(f"POS DEBIT {alias}") == name

    check()


def test_names_fit_the_column() -> None:
    assert len(normalize_merchant("X" * 5000) or "") <= 200


# --- the same merchant every month -----------------------------------------

MONTHLY_FORMS = {
    "Netflix": "NETFLIX.COM {phone} {state}",
    "Spotify": "SPOTIFY USA {phone}",
    "Blue Bottle Coffee": "SQ *BLUE BOTTLE COFFEE #{store} {city} {state}",
    "Shell": "CHECKCARD {mmdd} SHELL OIL {long} {city} {state}",
    "Green Grocer": "POS DEBIT GREEN GROCER {store4} {city} {state}",
    "Corner Deli": (
        "PURCHASE AUTHORIZED ON {mm}/{dd} CORNER DELI {city} {state} S{long} CARD {card}"
    ),
    "Xfinity": "COMCAST DES:CABLE ID:{long} INDN:JANE DOE CO ID:{long} PPD",
    "Amazon": "AMZN MKTP US*{ref}",
    "Hulu": "HLU*HULU {long} HULU.COM/BILL{state}",
    "Gym Membership": "GYM MEMBERSHIP XXXXXX{card} {mm}/{dd}",
}
CITIES = ["OAKLAND", "SEATTLE", "HOUSTON", "SAN FRANCISCO", "NEW YORK", "LOS ANGELES", "AUSTIN"]
STATES = ["CA", "WA", "TX", "NY", "NJ", "FL", "IL"]


@st.composite
def variant(draw: st.DrawFn, form: str) -> str:
    area, exchange = draw(st.integers(200, 999)), draw(st.integers(200, 999))
    values = {
        "phone": f"{area}-{exchange}-{draw(st.integers(1000, 9999))}",
        "state": draw(st.sampled_from(STATES)),
        "city": draw(st.sampled_from(CITIES)),
        "store": str(draw(st.integers(1, 99999))),
        "store4": f"{draw(st.integers(0, 9999)):04d}",
        "mmdd": f"{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}",
        "mm": f"{draw(st.integers(1, 12)):02d}",
        "dd": f"{draw(st.integers(1, 28)):02d}",
        "long": str(draw(st.integers(100_000, 10**10))),
        "card": f"{draw(st.integers(0, 9999)):04d}",
        "ref": draw(st.from_regex(r"[0-9][A-Z0-9]{3,9}", fullmatch=True)),
    }
    spaces = draw(st.sampled_from([" ", "  ", "   "]))
    return form.format(**values).replace(" ", spaces)


@pytest.mark.parametrize(("merchant", "form"), MONTHLY_FORMS.items())
def test_monthly_variants_normalize_to_one_name(merchant: str, form: str) -> None:
    @given(variant(form))
    def check(descriptor: str) -> None:
        assert normalize_merchant(descriptor) == merchant

    check()


# Forms of `spendsense seed --messy` and of the banks it copies: each new
# table entry at work, with the descriptor as a bank writes it.
@pytest.mark.parametrize(
    ("descriptor", "merchant"),
    [
        # U.S. Bank's debit card channel, before the generic DEBIT PURCHASE
        ("DEBIT PURCHASE -VISA SQ *BLUE BOTTLE COFFEE OAKLAND CA", "Blue Bottle Coffee"),
        ("DEBIT PURCHASE -VISA LYFT *RIDE THU 9AM", "Lyft"),
        ("DEBIT PURCHASE -VISA PAYPAL *ETSY.COM 866-962-5001 CA", "Etsy"),
        # an OFX NAME cut at 32 characters, then the MEMO repeating it whole
        ("CHECKCARD 0312 ANDERSONS DINER S CHECKCARD 0312 ANDERSONS DINER SAN FRANCISCO CA "
         "538345979450405427077825", "Andersons Diner"),
        # card payments named by the issuer, whatever the bank's wording
        ("CHASE CREDIT CRD AUTOPAY PPD ID: 4760039224", "Chase Card Payment"),
        ("Payment to Chase card ending in 3052 0617", "Chase Card Payment"),
        ("CITI AUTOPAY PAYMENT 7905204544 WEB ID: CITICARDAP", "Citi Card Payment"),
        ("CAPITAL ONE MOBILE PMT PPD ID: 9279744380", "Capital One Card Payment"),
        ("DISCOVER DES:E-PAYMENT ID:2797792300 INDN:JANE DOE CO ID:7681945179 PPD",
         "Discover Card Payment"),
        ("AMEX EPAYMENT ACH PMT W325492 WEB ID: 1134992250", "American Express Card Payment"),
        ("AMERICAN EXPRESS DES:ACH PMT ID:1784836194 INDN:JACK KING CO ID:1667991761 PPD",
         "American Express Card Payment"),
        ("BK OF AMER VISA ONLINE PMT 4898212799", "Bank of America Card Payment"),
        ("WELLS FARGO CARD CCPYMT 7470749487", "Wells Fargo Card Payment"),
        # a product of a processor's account is its own merchant
        ("MICROSOFT*XBOX 800-642-7676 WA", "Xbox"),
        ("MICROSOFT*MICROSOFT 365 P MSBILL.INFO WA", "Microsoft 365"),
        ("MSFT * E0400ABCDE MSBILL.INFO WA", "Microsoft 365"),
        ("VERIZON*FIOS 866-453-0466 TX", "Verizon Fios"),
        ("VZ*VERIZON FIOS CCD ID: 8221333970", "Verizon Fios"),
        ("COSTCO *ANNUAL RENEWAL 800-774-2678 WA", "Costco Membership"),
        ("COSTCO WHSE #1234 SEATTLE WA", "Costco"),
        # chains' short and store-numbered forms
        ("PEETS 8082 AUSTIN TX", "Peet's Coffee"),
        ("HEB #2638 HOUSTON TX", "H-E-B"),
        ("T.J. MAXX #2928 SEATTLE WA", "TJ Maxx"),
        ("AMC MIN 9371 MINNEAPOLIS MN", "AMC Theatres"),
        ("SWEETGREEN CHI CHICAGO IL", "Sweetgreen"),
        ("BP#4014 CHICAGO IL", "BP"),
        ("HOMEDEPOT.COM 855-863-9788 GA", "The Home Depot"),
        ("ACE HDWE #852 RALEIGH NC", "Ace Hardware"),
        ("1LIFE HEALTHCARE ONE MED 888-622-9686 CA", "One Medical"),
        ("PMUSA PARKMOBILE 877-727-5758 GA", "ParkMobile"),
        ("DNH*GODADDY.COM 855-772-5198 AZ", "GoDaddy"),
        # billers and lenders under their former or parent names
        ("NATIONSTAR MORTGAGE CCD ID: 5421126450", "Mr. Cooper"),
        ("QUICKEN LOANS MTG PYMT PPD ID: 0253198806", "Rocket Mortgage"),
        ("COMMONWEALTH EDISON PPD ID: 1931848436", "ComEd"),
        ("FID BKG SVC LLC MONEYLINE CCD ID: 3966476843", "Fidelity"),
        ("IRS DES:USATAXPYMT ID:2490891424 INDN:PAT SCOTT CO ID:7275223345 PPD", "IRS"),
        ("REDCROSS.ORG 877-893-4866 DC", "American Red Cross"),
        # a store's alias does not take a restaurant of the same family name
        ("LOWES #1234* RALEIGH NC", "Lowe's"),
        ("TST* LOWES NOODLE BAR RALEIGH NC", "Lowes Noodle Bar"),
    ],
)  # fmt: skip
def test_messy_forms(descriptor: str, merchant: str) -> None:
    assert normalize_merchant(descriptor) == merchant
