"""How the synthetic generator (app.services.synthetic) plants a persona:
the odds and ranges it draws a user's shape from, and which of its ways of
building income, subscriptions, the first card and savings the persona
needs. Each way is a method of the generator, chosen here by name; a new
persona reuses them, a new way is a new method there.

A planted user must *be* its persona under the rules for the 180-day window
at the seeding date (and match no rule above it): the ways are sized
against the rules' measures (see the generator).
"""

from dataclasses import dataclass
from typing import Literal

Pay = Literal["regular", "irregular"]  # irregular: pay days over 45 days apart, thin buffer
Subscriptions = Literal["few", "many"]  # many: 4-7 services, at least $60 a month
FirstCard = Literal["paid_in_full", "stretched"]  # stretched: near its limit, interest
# drawn_down: whatever came in leaves again in the last month (savings never grow);
# kept: no late withdrawal (it would swell the checking buffer);
# built: part of every paycheck goes in.
Savings = Literal["drawn_down", "kept", "built"]


@dataclass(frozen=True, slots=True)
class Plant:
    savings_account_odds: float  # chance of a savings account
    card_odds: float  # chance of a credit card (then 20 %: two)
    card_spend_share: tuple[float, float] = (0.3, 0.7)  # of spending put on cards
    # Checking balance at the seeding date, in months of checking outflow.
    buffer_months: tuple[float, float] = (1.2, 3.0)
    spending_boost: tuple[float, float] | None = None  # a factor on everyday spending
    pay: Pay = "regular"
    subscriptions: Subscriptions = "few"
    first_card: FirstCard = "paid_in_full"
    savings: Savings = "drawn_down"
