"""A deliberately simple reference of the signals and persona rules: a direct
transcription of the shared insights spec, one window at a time, with real
datetimes and the statistics module. Slow and obvious on purpose; the
randomized test compares the one-pass engine with it."""

import re
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from app.services.insights.rows import AccountRow, TxnRow

EXCLUDED = {
    "TRANSFER_OUT",
    "TRANSFER_IN",
    "LOAN_PAYMENTS",
    "INCOME",
    "BANK_FEES",
    "RENT_AND_UTILITIES",
}


def key_of(name: str | None) -> str | None:
    if name is None:
        return None
    key = re.sub(r"\s+", " ", name.lower()).strip()
    return key or None


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class Txn:
    """One input row with a real datetime, and its input position `i` (the
    tie-breaker among rows of one instant)."""

    i: int
    acc: str
    dt: datetime
    amount: int
    merchant: str | None
    category: str
    pending: bool
    detailed: str | None  # category_detailed


# (code, value, threshold, account_id), as the engine's reasons carry them.
Reason = tuple[str, Any, Any, str | None]


def ref_signals(
    accounts: list[AccountRow], rows: list[TxnRow], as_of: date, w: int
) -> dict[str, Any]:
    lookback = max(w, 90)
    start = datetime.combine(as_of - timedelta(days=w - 1), time())
    l_start = datetime.combine(as_of - timedelta(days=lookback - 1), time())
    end = datetime.combine(as_of + timedelta(days=1), time())
    txns = [Txn(i, r[0], _parse(r[1]), r[2], r[3], r[4], r[5], r[6]) for i, r in enumerate(rows)]
    ids = {a.id for a in accounts}
    txns = [t for t in txns if t.acc in ids]

    def balance_at_d(a: AccountRow) -> int:
        later = sum(t.amount for t in txns if t.acc == a.id and t.dt >= end)
        return a.balance - later if a.type == "credit" else a.balance + later

    settled = [t for t in txns if not t.pending and t.dt < end]
    in_w = [t for t in settled if t.dt >= start]
    in_l = [t for t in settled if t.dt >= l_start]
    checking = [a for a in accounts if a.type == "depository" and a.subtype == "checking"]
    savings = [
        a
        for a in accounts
        if a.type == "depository" and a.subtype in ("savings", "money_market", "hsa")
    ]
    cards = sorted(
        (a for a in accounts if a.type == "credit" and a.limit is not None and a.limit > 0),
        key=lambda a: a.id,
    )
    checking_ids = {a.id for a in checking}
    savings_ids = {a.id for a in savings}

    spending = sum(
        t.amount
        for t in in_w
        if t.amount > 0 and t.category not in ("TRANSFER_OUT", "LOAN_PAYMENTS")
    )
    monthly_spending = spending * 30 / w

    # Credit
    card_entries: list[dict[str, Any]] = []
    for a in cards:
        assert a.limit is not None  # cards have a limit (filtered above)
        mine = [t for t in in_w if t.acc == a.id]
        bal = balance_at_d(a)
        interest = sum(
            t.amount
            for t in mine
            if t.category == "BANK_FEES"
            and t.merchant is not None
            and "interest" in t.merchant.lower()
        )
        payments = [t for t in mine if t.amount < 0]
        last = max(payments, key=lambda t: (t.dt, t.i)) if payments else None
        last_payment = -last.amount if last is not None else None
        mpo = bool(
            a.min_payment
            and a.min_payment > 0
            and last_payment is not None
            and last_payment <= 1.1 * a.min_payment
        )
        card_entries.append(
            {
                "account_id": a.id,
                "name": a.name,
                "mask": a.mask,
                "balance": bal,
                "limit": a.limit,
                "utilization": bal / a.limit,
                "interest_charged": interest,
                "min_payment": a.min_payment,
                "last_payment": last_payment,
                "minimum_payment_only": mpo,
                "is_overdue": a.is_overdue,
            }
        )

    # Income
    pay_rows_l = [
        t
        for t in in_l
        if t.acc in checking_ids
        and t.category == "INCOME"
        and t.detailed not in ("INCOME_INTEREST_EARNED", "INCOME_DIVIDENDS")
        and t.amount < 0
    ]
    pay_days = sorted({t.dt.date() for t in pay_rows_l})
    gaps = [(b - a).days for a, b in zip(pay_days, pay_days[1:], strict=False)]
    pay_w = [t for t in pay_rows_l if t.dt >= start]
    checking_balance = sum(balance_at_d(a) for a in checking)
    outflow = sum(t.amount for t in in_w if t.acc in checking_ids and t.amount > 0)
    monthly_outflow = outflow * 30 / w

    # Subscriptions
    by_key: dict[str, list[Txn]] = {}
    for t in in_l:
        k = key_of(t.merchant)
        if k is not None and t.amount > 0 and t.category not in EXCLUDED:
            by_key.setdefault(k, []).append(t)
    merchants: list[dict[str, Any]] = []
    for k in sorted(by_key):
        charges = sorted(by_key[k], key=lambda t: (t.dt, t.i))
        if len(charges) < 3:
            continue
        days = [c.dt.date() for c in charges]
        charge_gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
        g = statistics.median(charge_gaps)
        if 5 <= g <= 9:
            cadence, tol = "weekly", 2
        elif 12 <= g <= 16:
            cadence, tol = "biweekly", 3
        elif 26 <= g <= 35:
            cadence, tol = "monthly", 3
        else:
            continue
        if any(abs(x - g) > tol for x in charge_gaps):
            continue
        m = statistics.median([c.amount for c in charges])
        if any(abs(c.amount - m) > max(0.1 * m, 100) for c in charges):
            continue
        if (as_of - days[-1]).days > g + 5:
            continue
        merchants.append(
            {
                "merchant_name": charges[-1].merchant,
                "merchant_key": k,
                "cadence": cadence,
                "median_gap_days": float(g),
                "median_amount": float(m),
                "charge_count": len(charges),
                "last_date": days[-1].isoformat(),
            }
        )
    monthly_recurring = sum(
        (x["median_amount"] * 30 / x["median_gap_days"] for x in merchants), 0.0
    )

    # Savings
    net = -sum(t.amount for t in in_w if t.acc in savings_ids)
    sav_balance = sum(balance_at_d(a) for a in savings)
    start_balance = sav_balance - net

    return {
        "window": f"{w}d",
        "as_of": as_of.isoformat(),
        "start": (as_of - timedelta(days=w - 1)).isoformat(),
        "end": as_of.isoformat(),
        "transaction_count": len(in_w),
        "spending": {"total": spending, "monthly": monthly_spending},
        "credit": {
            "cards": card_entries,
            "max_utilization": max(c["utilization"] for c in card_entries)
            if card_entries
            else None,
        },
        "income": {
            "pay_days": [d.isoformat() for d in pay_days],
            "pay_day_count": len(pay_days),
            "median_pay_gap_days": float(statistics.median(gaps)) if gaps else None,
            "monthly_income": -sum(t.amount for t in pay_w) * 30 / w,
            "checking_balance": checking_balance,
            "monthly_checking_outflow": monthly_outflow,
            "cash_buffer_months": checking_balance / monthly_outflow if outflow else None,
        },
        "subscriptions": {
            "lookback_days": lookback,
            "recurring_merchants": merchants,
            "recurring_count": len(merchants),
            "monthly_recurring_spend": monthly_recurring,
            "recurring_share": monthly_recurring / monthly_spending if spending else None,
        },
        "savings": {
            "balance": sav_balance,
            "net_inflow": net,
            "monthly_net_inflow": net * 30 / w,
            "growth_rate": net / start_balance if savings and start_balance > 0 else None,
            "emergency_fund_months": sav_balance / monthly_spending if spending else None,
        },
    }


def ref_persona(s: dict[str, Any]) -> tuple[str, list[Reason], list[str]]:
    """(persona, [(code, value, threshold, account_id)], also_matched) from a
    reference signals dict."""
    cards = s["credit"]["cards"]
    inc, sub, sav = s["income"], s["subscriptions"], s["savings"]
    rules: list[tuple[str, list[Reason]]] = []

    high: list[Reason] = [
        ("credit_utilization_high", c["utilization"], 0.5, c["account_id"])
        for c in cards
        if c["utilization"] >= 0.5
    ]
    high += [
        ("interest_charges", c["interest_charged"], 0, c["account_id"])
        for c in cards
        if c["interest_charged"] > 0
    ]
    high += [
        ("minimum_payment_only", c["last_payment"], 1.1 * c["min_payment"], c["account_id"])
        for c in cards
        if c["minimum_payment_only"]
    ]
    high += [("overdue", 1, 1, c["account_id"]) for c in cards if c["is_overdue"]]
    rules.append(("high_utilization", high))

    gap, buf = inc["median_pay_gap_days"], inc["cash_buffer_months"]
    variable: list[Reason] = []
    if gap is not None and buf is not None and gap > 45 and buf < 1.0:
        variable = [("long_pay_gap", gap, 45, None), ("low_cash_buffer", buf, 1.0, None)]
    rules.append(("variable_income", variable))

    heavy: list[Reason] = []
    spend, share = sub["monthly_recurring_spend"], sub["recurring_share"]
    if sub["recurring_count"] >= 3 and (spend >= 5000 or (share is not None and share >= 0.10)):
        heavy = [
            ("recurring_merchants", sub["recurring_count"], 3, None),
            ("subscription_spend", spend, 5000, None)
            if spend >= 5000
            else ("subscription_spend", share, 0.10, None),
        ]
    rules.append(("subscription_heavy", heavy))

    saver: list[Reason] = []
    growth, inflow = sav["growth_rate"], sav["monthly_net_inflow"]
    grows = growth is not None and growth >= 0.02
    if (grows or inflow >= 20000) and all(c["utilization"] < 0.30 for c in cards):
        if grows:
            saver.append(("savings_growth", growth, 0.02, None))
        if inflow >= 20000:
            saver.append(("savings_transfers", inflow, 20000, None))
        if cards:
            top = max(cards, key=lambda c: c["utilization"])
            saver.append(("credit_utilization_low", top["utilization"], 0.30, top["account_id"]))
    rules.append(("savings_builder", saver))

    held = [(name, reasons) for name, reasons in rules if reasons]
    if not held:
        return "balanced", [("no_pattern", None, None, None)], []
    return held[0][0], held[0][1], [name for name, _ in held[1:]]
