"""The personas, one module each, registered here in priority order: the one
home of a persona's rule, thresholds, reason codes and sentences, confidence
scales, label, ranking topics and synthetic plant. Everything else (the
PersonaType enum, the engine's rule loop, ranking, the catalogue check,
evaluation, the command line, the generator) is derived from PERSONA_KINDS.

Adding a persona: a module with a `KIND`, one line below, and content for it
in app/data/content_catalog.json (docs/personas-registry.md).
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from app.services.insights.persona_kinds import (
    balanced,
    high_utilization,
    savings_builder,
    subscription_heavy,
    variable_income,
)
from app.services.insights.persona_kinds.kind import Hit, PersonaKind, ReasonKind
from app.services.insights.persona_kinds.plant import Plant
from app.services.insights.persona_kinds.registry import PersonaRegistry

PERSONA_KINDS = PersonaRegistry(
    high_utilization.KIND,
    variable_income.KIND,
    subscription_heavy.KIND,
    savings_builder.KIND,
    balanced.KIND,
)


class RegisteredPersona(StrEnum):
    """Base of PersonaType. A persona registered after the enum was built
    (a test's toy persona) is accepted by value while it is registered: it
    is looked up here and made a member of the moment (as enum.Flag does
    for combined values), so validation, storage and responses take it."""

    @classmethod
    def _missing_(cls, value: object) -> "RegisteredPersona | None":
        if not isinstance(value, str) or value not in PERSONA_KINDS:
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


if TYPE_CHECKING:
    # The members come from data, which mypy cannot read: the app names no
    # member in code (it goes through PERSONA_KINDS), so the base suffices.
    PersonaType = RegisteredPersona
else:
    PersonaType = RegisteredPersona(
        "PersonaType", [(name, name) for name in PERSONA_KINDS.names], module=__name__
    )
    # Shown as the schema's description (OpenAPI).
    PersonaType.__doc__ = "In priority order: the first rule that holds is the persona."

__all__ = [
    "PERSONA_KINDS",
    "Hit",
    "PersonaKind",
    "PersonaRegistry",
    "PersonaType",
    "Plant",
    "ReasonKind",
]
