"""The signals of one user, window and as-of date, and their JSON form (the
body of `GET /api/v1/users/{id}/signals`). Money is integer cents; ratios and
monthly figures are unrounded floats; None where the contract says null."""

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(slots=True)
class CardSignals:
    """A credit account with `limit > 0`, at the as-of date D."""

    account_id: str
    name: str
    mask: str
    balance: int  # owed at D
    limit: int
    utilization: float
    interest_charged: int
    min_payment: int | None
    last_payment: int | None  # |amount| of the most recent payment in W
    minimum_payment_only: bool
    is_overdue: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "name": self.name,
            "mask": self.mask,
            "balance": self.balance,
            "limit": self.limit,
            "utilization": self.utilization,
            "interest_charged": self.interest_charged,
            "min_payment": self.min_payment,
            "last_payment": self.last_payment,
            "minimum_payment_only": self.minimum_payment_only,
            "is_overdue": self.is_overdue,
        }


@dataclass(slots=True)
class CreditSignals:
    cards: list[CardSignals]  # by account id
    max_utilization: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "cards": [card.to_dict() for card in self.cards],
            "max_utilization": self.max_utilization,
        }


@dataclass(slots=True)
class IncomeSignals:
    pay_days: list[str]  # YYYY-MM-DD, ascending, in the lookback
    pay_day_count: int
    median_pay_gap_days: float | None
    monthly_income: float
    checking_balance: int  # at D
    monthly_checking_outflow: float
    cash_buffer_months: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "pay_days": list(self.pay_days),
            "pay_day_count": self.pay_day_count,
            "median_pay_gap_days": self.median_pay_gap_days,
            "monthly_income": self.monthly_income,
            "checking_balance": self.checking_balance,
            "monthly_checking_outflow": self.monthly_checking_outflow,
            "cash_buffer_months": self.cash_buffer_months,
        }


@dataclass(frozen=True, slots=True)
class RecurringMerchant:
    merchant_name: str  # as on the latest charge
    merchant_key: str
    cadence: str  # weekly | biweekly | monthly
    median_gap_days: float
    median_amount: float
    charge_count: int
    last_date: str  # YYYY-MM-DD

    def to_dict(self) -> dict[str, Any]:
        return {
            "merchant_name": self.merchant_name,
            "merchant_key": self.merchant_key,
            "cadence": self.cadence,
            "median_gap_days": self.median_gap_days,
            "median_amount": self.median_amount,
            "charge_count": self.charge_count,
            "last_date": self.last_date,
        }


@dataclass(slots=True)
class SubscriptionSignals:
    lookback_days: int
    recurring_merchants: list[RecurringMerchant]  # by merchant key
    recurring_count: int
    monthly_recurring_spend: float
    recurring_share: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lookback_days": self.lookback_days,
            "recurring_merchants": [m.to_dict() for m in self.recurring_merchants],
            "recurring_count": self.recurring_count,
            "monthly_recurring_spend": self.monthly_recurring_spend,
            "recurring_share": self.recurring_share,
        }


@dataclass(slots=True)
class SavingsSignals:
    balance: int  # at D, all savings accounts
    net_inflow: int
    monthly_net_inflow: float
    growth_rate: float | None
    emergency_fund_months: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "balance": self.balance,
            "net_inflow": self.net_inflow,
            "monthly_net_inflow": self.monthly_net_inflow,
            "growth_rate": self.growth_rate,
            "emergency_fund_months": self.emergency_fund_months,
        }


@dataclass(slots=True)
class SpendingSignals:
    total: int
    monthly: float

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "monthly": self.monthly}


@dataclass(slots=True)
class WindowSignals:
    window: str  # "30d" | "180d"
    as_of: date
    start: date  # first day of W (included)
    end: date  # last day of W (included) = as_of
    transaction_count: int  # settled rows in W, all accounts
    spending: SpendingSignals
    credit: CreditSignals
    income: IncomeSignals
    subscriptions: SubscriptionSignals
    savings: SavingsSignals

    def to_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "as_of": self.as_of.isoformat(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "transaction_count": self.transaction_count,
            "spending": self.spending.to_dict(),
            "credit": self.credit.to_dict(),
            "income": self.income.to_dict(),
            "subscriptions": self.subscriptions.to_dict(),
            "savings": self.savings.to_dict(),
        }
