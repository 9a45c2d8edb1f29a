"""variable_income: pay days far apart (median gap over 45 days) and a
checking balance under a month of checking outflow."""

from app.services.insights.persona_kinds.kind import Hit, PersonaKind, ReasonKind
from app.services.insights.persona_kinds.plant import Plant
from app.services.insights.signal_types import WindowSignals
from app.services.insights.text import days, months

PAY_GAP_DAYS = 45
CASH_BUFFER_MONTHS = 1.0


def _gap_sentence(hit: Hit) -> str:
    value, threshold = hit.compared
    return f"Pay days are a median of {days(value)} apart, more than {days(threshold)}"


def _buffer_sentence(hit: Hit) -> str:
    value, threshold = hit.compared
    return (
        f"Checking balances cover {months(value)} of checking outflow, "
        f"less than {months(threshold)}"
    )


LONG_PAY_GAP = ReasonKind("long_pay_gap", _gap_sentence, "budgeting between far-apart pay days")
LOW_CASH_BUFFER = ReasonKind(
    "low_cash_buffer", _buffer_sentence, "building a cash buffer", holds_below=True
)


def rule(signals: WindowSignals) -> list[Hit]:
    gap = signals.income.median_pay_gap_days
    buffer = signals.income.cash_buffer_months
    if gap is None or buffer is None or not (gap > PAY_GAP_DAYS and buffer < CASH_BUFFER_MONTHS):
        return []
    return [Hit(LONG_PAY_GAP, gap, PAY_GAP_DAYS), Hit(LOW_CASH_BUFFER, buffer, CASH_BUFFER_MONTHS)]


KIND = PersonaKind(
    name="variable_income",
    label="variable income",
    priority=20,
    reasons=(LONG_PAY_GAP, LOW_CASH_BUFFER),
    rule=rule,
    plant=Plant(
        savings_account_odds=0.5,
        card_odds=0.6,
        buffer_months=(0.1, 0.5),
        pay="irregular",
        savings="kept",
    ),
)
