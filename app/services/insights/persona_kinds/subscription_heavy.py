"""subscription_heavy: at least 3 recurring merchants costing at least
$50.00 a month, or else at least 10 % of monthly spending."""

from app.services.insights.persona_kinds.kind import Hit, PersonaKind, ReasonKind
from app.services.insights.persona_kinds.plant import Plant
from app.services.insights.signal_types import WindowSignals
from app.services.insights.text import money, number, percent

RECURRING_COUNT = 3
RECURRING_SPEND = 5000  # cents a month
RECURRING_SHARE = 0.10


def _merchants_sentence(hit: Hit) -> str:
    value, threshold = hit.compared
    return (
        f"{number(value, 0)} merchants charge on a regular schedule, "
        f"at least {number(threshold, 0)}"
    )


def _spend_sentence(hit: Hit) -> str:
    value, threshold = hit.compared
    if _compares_spend(threshold):
        return f"Recurring charges come to {money(value)} a month, at least {money(threshold)}"
    return (
        f"Recurring charges are {percent(value, 1)} of monthly spending, "
        f"at least {percent(threshold)}"
    )


def _compares_spend(threshold: float) -> bool:
    """subscription_spend compares the monthly spend (cents) when that
    holds, else the share of spending (a ratio): its threshold says which."""
    return threshold == RECURRING_SPEND


RECURRING_MERCHANTS = ReasonKind(
    "recurring_merchants", _merchants_sentence, "reviewing recurring charges"
)
SUBSCRIPTION_SPEND = ReasonKind(
    "subscription_spend",
    _spend_sentence,
    "trimming what subscriptions cost",
    in_cents=_compares_spend,
)


def rule(signals: WindowSignals) -> list[Hit]:
    subs = signals.subscriptions
    count, spend, share = subs.recurring_count, subs.monthly_recurring_spend, subs.recurring_share
    if count < RECURRING_COUNT:
        return []
    if spend >= RECURRING_SPEND:
        amount = Hit(SUBSCRIPTION_SPEND, spend, RECURRING_SPEND)
    elif share is not None and share >= RECURRING_SHARE:
        amount = Hit(SUBSCRIPTION_SPEND, share, RECURRING_SHARE)
    else:
        return []
    return [Hit(RECURRING_MERCHANTS, count, RECURRING_COUNT), amount]


KIND = PersonaKind(
    name="subscription_heavy",
    label="subscription-heavy",
    priority=30,
    reasons=(RECURRING_MERCHANTS, SUBSCRIPTION_SPEND),
    rule=rule,
    plant=Plant(savings_account_odds=0.6, card_odds=0.8, subscriptions="many"),
)
