"""Whether a content catalogue fits the persona registry: some content for
every persona (`persona_tags`) and every reason code (`signal_tags`), and no
signal tag that no persona gives (a misspelt tag would never match). The
shipped catalogue is checked when it is loaded (app.services.seeding), so a
new persona without content fails there, not silently at recommendation
time."""

from collections.abc import Iterable, Sequence
from typing import Protocol

from app.services.insights.persona_kinds import PERSONA_KINDS


class Tagged(Protocol):
    """What the check needs of a content item (ContentCreate qualifies)."""

    @property
    def persona_tags(self) -> Sequence[str]: ...
    @property
    def signal_tags(self) -> Sequence[str]: ...


def catalog_gaps(items: Iterable[Tagged]) -> list[str]:
    """What the catalogue lacks or names wrongly, one phrase each; empty
    when it fits."""
    persona_tags: set[str] = set()
    signal_tags: set[str] = set()
    for item in items:
        persona_tags.update(item.persona_tags)
        signal_tags.update(item.signal_tags)
    codes = PERSONA_KINDS.reason_codes
    gaps = [f"no content for persona {n!r}" for n in PERSONA_KINDS.names if n not in persona_tags]
    gaps += [f"no content for reason code {c!r}" for c in codes if c not in signal_tags]
    gaps += [f"signal tag {tag!r} is no reason code" for tag in sorted(signal_tags - set(codes))]
    return gaps
