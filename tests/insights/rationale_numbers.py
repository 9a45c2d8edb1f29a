"""The numbers a rationale must show, worked out from the signals (their JSON
form, as GET /users/{id}/signals returns it) and the spec's thresholds, not
from the reasons: a rationale's numbers are checked against the signals.

Display rounding (app.services.insights.text): money in dollars with cents,
percentages floored to whole percents (utilization, thresholds) or one
decimal (growth, recurring share), day gaps to one decimal, months to two;
cents amounts below a cent are floored.
"""

import re
from typing import Any

from app.services.insights.text import money, number, percent

# Money ("$1,780.00"), else a plain number ("59", "45.5", "12,345"); a comma
# only inside a number (so "at least 3, and" gives "3").
NUMBER = re.compile(r"-?\$\d{1,3}(?:,\d{3})*\.\d{2}|-?\d+(?:,\d{3})*(?:\.\d+)?")


def numbers_in(text: str) -> list[str]:
    return NUMBER.findall(text)


def _card(signals: dict[str, Any], account_id: str | None) -> dict[str, Any]:
    cards: list[dict[str, Any]] = signals["credit"]["cards"]
    (card,) = [c for c in cards if c["account_id"] == account_id]
    return card


def _label(card: dict[str, Any]) -> list[str]:
    """The numbers of "<name> ending in <mask>"."""
    return [*numbers_in(card["name"]), card["mask"]]


def strongest_card(signals: dict[str, Any], code: str) -> dict[str, Any]:
    """The card a rationale cites for a card reason code: the one furthest
    past the threshold (the first by account id on a tie)."""
    cards: list[dict[str, Any]] = signals["credit"]["cards"]
    if code == "credit_utilization_high":
        held = [c for c in cards if c["utilization"] >= 0.5]
        return max(held, key=lambda c: c["utilization"])
    if code == "interest_charges":
        return max(
            [c for c in cards if c["interest_charged"] > 0], key=lambda c: c["interest_charged"]
        )
    if code == "minimum_payment_only":
        held = [c for c in cards if c["minimum_payment_only"]]
        return min(held, key=lambda c: c["last_payment"] / c["min_payment"])
    if code == "overdue":
        return [c for c in cards if c["is_overdue"]][0]
    raise ValueError(code)


def expected_numbers(
    code: str, signals: dict[str, Any], account_id: str | None = None
) -> list[str]:
    """The numbers, in order, of the reason `code` as a rationale cites it;
    card reasons of the card `account_id` (default: the strongest)."""
    return [n.removesuffix(" %") for n in _expected(code, signals, account_id)]


def _expected(code: str, signals: dict[str, Any], account_id: str | None) -> list[str]:
    income, subs, savings = signals["income"], signals["subscriptions"], signals["savings"]
    if code in ("credit_utilization_high", "interest_charges", "minimum_payment_only", "overdue"):
        card = _card(signals, account_id) if account_id else strongest_card(signals, code)
        if code == "credit_utilization_high":
            return [*_label(card), percent(card["utilization"]), money(card["limit"]),
                    money(card["balance"])]  # fmt: skip
        if code == "interest_charges":
            return [*_label(card), money(card["interest_charged"])]
        if code == "minimum_payment_only":
            return [*_label(card), money(card["last_payment"]),
                    money(card["min_payment"] * 11 / 10), "110"]  # fmt: skip
        return _label(card)
    if code == "long_pay_gap":
        return [number(income["median_pay_gap_days"], 1), "45"]
    if code == "low_cash_buffer":
        return [number(income["cash_buffer_months"], 2), "1"]
    if code == "recurring_merchants":
        return [str(subs["recurring_count"]), "3"]
    if code == "subscription_spend":
        if subs["monthly_recurring_spend"] >= 5000:
            return [money(subs["monthly_recurring_spend"]), "$50.00"]
        return [percent(subs["recurring_share"], 1), "10"]
    if code == "savings_growth":
        return [percent(savings["growth_rate"], 1), "2"]
    if code == "savings_transfers":
        return [money(savings["monthly_net_inflow"]), "$200.00"]
    if code == "credit_utilization_low":
        card = max(signals["credit"]["cards"], key=lambda c: c["utilization"])
        return ["30", *_label(card), percent(card["utilization"]),
                money(card["limit"])]  # fmt: skip
    if code == "no_pattern":
        return []
    raise ValueError(code)
