"""The insights engine's pure core: signals per window from plain rows, and
the persona they make, with reasons and confidence. No database, no HTTP:
callers read the rows and store or serve the results."""

from app.services.insights.decision import PersonaDecision, Reason, decide_persona
from app.services.insights.rows import AccountRow, TxnRow
from app.services.insights.signal_types import WindowSignals
from app.services.insights.signals import compute_signals

__all__ = [
    "AccountRow",
    "PersonaDecision",
    "Reason",
    "TxnRow",
    "WindowSignals",
    "compute_signals",
    "decide_persona",
]
