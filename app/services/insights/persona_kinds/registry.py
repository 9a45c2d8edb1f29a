"""PersonaRegistry: the personas in priority order, and the lookups derived
from them (reason codes in the spec's order, a reason by code, topics,
labels), rebuilt whenever a persona is registered or removed."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

from app.services.insights.persona_kinds.kind import PersonaKind, ReasonKind


class PersonaRegistry:
    def __init__(self, *kinds: PersonaKind) -> None:
        self._kinds: tuple[PersonaKind, ...] = ()
        self._reindex(kinds)

    def register(self, kind: PersonaKind) -> None:
        """Add a persona; ValueError if its name or a reason code is taken."""
        self._reindex((*self._kinds, kind))

    def unregister(self, name: str) -> PersonaKind:
        kind = self[name]
        self._reindex(tuple(k for k in self._kinds if k is not kind))
        return kind

    @contextmanager
    def registered(self, kind: PersonaKind) -> Iterator[PersonaKind]:
        """`kind` registered for the block, removed after it (tests)."""
        self.register(kind)
        try:
            yield kind
        finally:
            self.unregister(kind.name)

    def _reindex(self, kinds: tuple[PersonaKind, ...]) -> None:
        ordered = tuple(sorted(kinds, key=lambda kind: kind.priority))
        names = [kind.name for kind in ordered]
        codes = [reason.code for kind in ordered for reason in kind.reasons]
        priorities = [kind.priority for kind in ordered]
        fallbacks = [kind for kind in ordered if kind.fallback]
        if any(len(set(taken)) != len(taken) for taken in (names, codes, priorities)):
            raise ValueError(
                f"persona names, reason codes and priorities must be unique: {names}, {codes}"
            )
        if ordered and (len(fallbacks) != 1 or ordered[-1] is not fallbacks[0]):
            raise ValueError("exactly one fallback persona, with the lowest priority (last)")
        self._kinds = ordered
        self._rules = ordered[:-1]
        self._by_name = {kind.name: kind for kind in ordered}
        self._reasons = {reason.code: reason for kind in ordered for reason in kind.reasons}
        self._code_rank = {code: rank for rank, code in enumerate(codes)}
        self._topics = MappingProxyType({code: r.topic for code, r in self._reasons.items()})
        self._labels = MappingProxyType({kind.name: kind.label for kind in ordered})

    def __iter__(self) -> Iterator[PersonaKind]:
        """Every persona, in priority order (the fallback last)."""
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> PersonaKind:
        return self._by_name[name]

    @property
    def names(self) -> tuple[str, ...]:
        """The persona_type values, in priority order."""
        return tuple(self._by_name)

    @property
    def rules(self) -> tuple[PersonaKind, ...]:
        """The personas whose rule is tried, in priority order (all but the
        fallback)."""
        return self._rules

    @property
    def fallback(self) -> PersonaKind:
        """The persona of a window where no rule holds."""
        return self._kinds[-1]

    def reason(self, code: str) -> ReasonKind:
        return self._reasons[code]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """Every reason code, in the spec's order (personas by priority)."""
        return tuple(self._code_rank)

    def code_rank(self, code: str) -> int:
        """A reason code's place in the spec's order."""
        return self._code_rank[code]

    @property
    def topics(self) -> Mapping[str, str]:
        """What content answering each reason code is about."""
        return self._topics

    @property
    def labels(self) -> Mapping[str, str]:
        """Each persona's name in a sentence."""
        return self._labels

    def in_cents(self, code: str, threshold: float | None) -> bool:
        """Whether a reason's value and threshold are money (cents); False
        for a reason without numbers or a code no persona gives."""
        reason = self._reasons.get(code)
        return reason is not None and threshold is not None and reason.in_cents(threshold)
