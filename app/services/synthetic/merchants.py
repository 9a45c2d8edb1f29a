"""Merchants, bills, subscriptions and card products the generator draws from.

National brands are fixed lists; local names (employers, landlords, small
restaurants, freelance clients) come from a seeded Faker, built once per run.
Every merchant name maps to exactly one category across the whole data set.
"""

from dataclasses import dataclass

from faker import Faker


@dataclass(frozen=True)
class SpendKind:
    """An everyday spending habit: where, how often and how much (dollars)."""

    category: str
    merchants: tuple[str, ...]
    visits_per_month: tuple[float, float]
    amount: tuple[float, float]
    # Share of users who never spend this way at all.
    skip_share: float = 0.0


EVERYDAY: dict[str, SpendKind] = {
    "groceries": SpendKind(
        "FOOD_AND_DRINK",
        (
            "Whole Foods Market",
            "Trader Joe's",
            "Safeway",
            "Kroger",
            "Aldi",
            "Publix",
            "H-E-B",
            "Wegmans",
        ),
        (3.5, 7.0),
        (22.0, 160.0),
    ),
    "coffee": SpendKind(
        "FOOD_AND_DRINK",
        ("Starbucks", "Dunkin'", "Peet's Coffee", "Blue Bottle Coffee"),
        (2.0, 12.0),
        (3.5, 9.5),
        skip_share=0.3,
    ),
    "dining": SpendKind(
        "FOOD_AND_DRINK",
        ("Chipotle Mexican Grill", "McDonald's", "Panera Bread", "Sweetgreen", "Shake Shack"),
        (3.0, 9.0),
        (11.0, 85.0),
    ),
    "delivery": SpendKind(
        "FOOD_AND_DRINK", ("DoorDash", "Uber Eats", "Grubhub"), (0.5, 4.0), (18.0, 62.0), 0.35
    ),
    "fuel": SpendKind(
        "TRANSPORTATION", ("Shell", "Chevron", "ExxonMobil", "BP"), (1.5, 5.0), (28.0, 78.0), 0.3
    ),
    "rides": SpendKind(
        "TRANSPORTATION", ("Uber", "Lyft"), (0.5, 5.0), (9.0, 46.0), skip_share=0.25
    ),
    "parking": SpendKind(
        "TRANSPORTATION", ("SpotHero", "ParkMobile"), (0.3, 2.0), (6.0, 32.0), skip_share=0.5
    ),
    "shopping": SpendKind(
        "GENERAL_MERCHANDISE",
        ("Amazon", "Target", "Walmart", "Costco", "Best Buy", "TJ Maxx", "Etsy"),
        (2.0, 6.0),
        (9.0, 150.0),
    ),
    "fun": SpendKind(
        "ENTERTAINMENT",
        ("AMC Theatres", "Ticketmaster", "Steam Games", "Dave & Buster's"),
        (0.3, 2.0),
        (12.0, 95.0),
        skip_share=0.2,
    ),
    "care": SpendKind(
        "PERSONAL_CARE",
        ("Great Clips", "Supercuts", "Ulta Beauty", "European Wax Center"),
        (0.2, 1.2),
        (18.0, 85.0),
    ),
    "medical": SpendKind(
        "MEDICAL",
        ("CVS Pharmacy", "Walgreens", "Quest Diagnostics", "One Medical"),
        (0.1, 0.8),
        (9.0, 160.0),
    ),
    "home": SpendKind(
        "HOME_IMPROVEMENT",
        ("The Home Depot", "Lowe's", "IKEA", "Ace Hardware"),
        (0.1, 0.8),
        (14.0, 260.0),
        skip_share=0.2,
    ),
    "travel": SpendKind(
        "TRAVEL",
        ("Delta Air Lines", "United Airlines", "Southwest Airlines", "Marriott", "Airbnb"),
        (0.05, 0.4),
        (110.0, 620.0),
        skip_share=0.35,
    ),
    "civic": SpendKind(
        "GOVERNMENT_AND_NON_PROFIT",
        ("DMV", "American Red Cross", "City Parking Citation", "UNICEF USA"),
        (0.05, 0.3),
        (10.0, 110.0),
        skip_share=0.4,
    ),
    "services": SpendKind(
        "GENERAL_SERVICES",
        ("USPS", "The UPS Store", "Rover Pet Services", "TaskRabbit"),
        (0.1, 0.6),
        (8.0, 70.0),
        skip_share=0.3,
    ),
}

# (merchant, category, monthly price in cents)
SUBSCRIPTIONS: tuple[tuple[str, str, int], ...] = (
    ("Netflix", "ENTERTAINMENT", 1549),
    ("Spotify", "ENTERTAINMENT", 1199),
    ("Hulu", "ENTERTAINMENT", 1799),
    ("Disney+", "ENTERTAINMENT", 1399),
    ("Max", "ENTERTAINMENT", 1699),
    ("YouTube Premium", "ENTERTAINMENT", 1399),
    ("Apple Music", "ENTERTAINMENT", 1099),
    ("Xbox Game Pass", "ENTERTAINMENT", 1699),
    ("Audible", "ENTERTAINMENT", 1495),
    ("Amazon Prime", "GENERAL_MERCHANDISE", 1499),
    ("Adobe Creative Cloud", "GENERAL_SERVICES", 5999),
    ("Microsoft 365", "GENERAL_SERVICES", 999),
    ("Dropbox", "GENERAL_SERVICES", 1199),
    ("iCloud+", "GENERAL_SERVICES", 299),
    ("The New York Times", "GENERAL_SERVICES", 1700),
    ("Duolingo", "GENERAL_SERVICES", 1299),
    ("Planet Fitness", "PERSONAL_CARE", 2499),
    ("Peloton", "PERSONAL_CARE", 4400),
    ("ClassPass", "PERSONAL_CARE", 4900),
    ("Headspace", "PERSONAL_CARE", 1299),
)

ELECTRIC = ("Con Edison", "PG&E", "Duke Energy", "Georgia Power", "ComEd")
INTERNET = ("Xfinity", "Spectrum", "Verizon Fios", "AT&T Internet")
PHONE = ("Verizon Wireless", "T-Mobile", "AT&T Wireless", "Mint Mobile")
WATER = ("City Water & Sewer",)
MORTGAGE_LENDERS = ("Rocket Mortgage", "Mr. Cooper", "Chase Home Lending")
GIG_PLATFORMS = ("Upwork Payout", "Fiverr Payout", "Etsy Seller Payout", "Shopify Payout")
# Money leaving checking that is not spending: cash and peer-to-peer
# payments, with the largest single amount that stays plausible (cents).
ATM = ("ATM Cash Withdrawal", "TRANSFER_OUT")
ATM_MAX, ATM_STEP = 100_000, 2_000  # at most $1,000, in $20 notes
P2P = (("Venmo", "TRANSFER_OUT"), ("Zelle Payment", "TRANSFER_OUT"))
P2P_MAX = 250_000
# Monthly transfers of surplus pay to an investment account held elsewhere.
BROKERAGES = (
    "Vanguard Brokerage",
    "Fidelity Investments",
    "Schwab Brokerage",
    "Betterment",
    "Wealthfront",
)

# (issuer, product) for credit cards; the card payment from checking is
# "<issuer> Card Payment".
CARD_PRODUCTS: tuple[tuple[str, str], ...] = (
    ("Chase", "Chase Freedom Unlimited"),
    ("Chase", "Chase Sapphire Preferred"),
    ("Citi", "Citi Double Cash"),
    ("Capital One", "Capital One Quicksilver"),
    ("Discover", "Discover it Cash Back"),
    ("American Express", "Amex Blue Cash Everyday"),
    ("Bank of America", "Bank of America Customized Cash"),
    ("Wells Fargo", "Wells Fargo Active Cash"),
)
CHECKING_NAMES = ("Everyday Checking", "Total Checking", "Premier Checking", "Essential Checking")
SAVINGS_NAMES = ("High Yield Savings", "Way2Save Savings", "360 Performance Savings", "Savings")

# Fixed names for money moving between a user's own accounts and for card
# charges; each keeps one category.
INTEREST_CHARGE = ("Interest Charge", "BANK_FEES")
LATE_FEE = ("Late Payment Fee", "BANK_FEES")
CARD_PAYMENT_RECEIVED = ("Payment Thank You", "LOAN_PAYMENTS")
SAVINGS_INTEREST = ("Interest Paid", "INCOME")
TO_SAVINGS = ("Online Transfer to Savings", "TRANSFER_OUT")
FROM_CHECKING = ("Online Transfer from Checking", "TRANSFER_IN")
TO_CHECKING = ("Online Transfer to Checking", "TRANSFER_OUT")
FROM_SAVINGS = ("Online Transfer from Savings", "TRANSFER_IN")

_RESTAURANT_KINDS = ("Kitchen", "Diner", "Bistro", "Grill", "Taqueria", "Pizzeria", "Noodle Bar")


def card_payment_merchant(issuer: str) -> str:
    return f"{issuer} Card Payment"


@dataclass(frozen=True)
class LocalNames:
    """Names drawn from Faker once per run (never inside the per-row loops)."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    employers: tuple[str, ...]
    clients: tuple[str, ...]
    landlords: tuple[str, ...]
    restaurants: tuple[str, ...]


def _static_names() -> set[str]:
    names = {m for kind in EVERYDAY.values() for m in kind.merchants}
    names |= {m for m, _, _ in SUBSCRIPTIONS}
    names |= set(ELECTRIC + INTERNET + PHONE + WATER + MORTGAGE_LENDERS + GIG_PLATFORMS)
    names |= set(BROKERAGES) | {ATM[0]} | {name for name, _ in P2P}
    return names


def build_local_names(seed: int, pool_size: int = 120) -> LocalNames:
    """Deterministic pools of people's and local businesses' names for `seed`."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    taken = _static_names()

    def unique(make: object, count: int) -> tuple[str, ...]:
        assert callable(make)
        found: list[str] = []
        for _ in range(count * 20):
            name = str(make())
            if name not in taken and len(name) <= 120:
                taken.add(name)
                found.append(name)
                if len(found) == count:
                    break
        return tuple(found)

    first_names = tuple(dict.fromkeys(fake.first_name() for _ in range(pool_size * 3)))
    last_names = tuple(dict.fromkeys(fake.last_name() for _ in range(pool_size * 3)))
    employers = unique(lambda: f"{fake.company()} Payroll", pool_size)
    clients = unique(lambda: f"{fake.company()} ACH Deposit", pool_size)
    landlords = unique(
        lambda: (
            f"{fake.street_name()} Apartments"
            if fake.boolean()
            else f"{fake.last_name()} Property Management"
        ),
        pool_size,
    )
    restaurants = unique(
        lambda: f"{fake.last_name()}'s {fake.random_element(_RESTAURANT_KINDS)}", pool_size
    )
    return LocalNames(first_names, last_names, employers, clients, landlords, restaurants)
