"""Stream detection measured on the database against a seeding manifest
(`spendsense evaluate-streams`): the stream users `spendsense seed
--streams N` planted, read back through the service GET /recurring uses
(stored copy or detection, user choices applied), and scored by
stream_evaluation against the planted truth.
"""

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import open_session
from app.services.errors import ConsentRequired, NotFound
from app.services.insights.recurring import user_streams
from app.services.insights.stream_evaluation import StreamEvaluation, evaluate_streams
from app.services.insights.streams import Stream
from app.services.synthetic.stream_users import planted_from_manifest
from app.services.synthetic.streams import PlantedStream


def stream_entries(manifest: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The manifest's stream users: user id -> {as_of, first_day, streams}
    (persona users, whose entry is a persona's name, are left out)."""
    return {
        user_id: entry
        for user_id, entry in manifest.items()
        if isinstance(entry, dict) and isinstance(entry.get("streams"), list)
    }


@dataclass
class SeededStreamReport:
    evaluation: StreamEvaluation
    users: int
    evaluated: int
    missing_users: int
    without_consent: int
    seconds_per_user: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "users": self.users,
            "evaluated": self.evaluated,
            "missing_users": self.missing_users,
            "without_consent": self.without_consent,
            "seconds_per_user": self.seconds_per_user,
            **self.evaluation.to_dict(),
            "targets_missed": self.evaluation.failures(),
        }


async def evaluate_seeded_streams(
    engine: AsyncEngine, entries: Mapping[str, dict[str, Any]]
) -> SeededStreamReport:
    """Each stream user's streams at the as-of date of its planting, as the
    route would list them with include_inactive (all of them), scored
    against the planted ones."""
    scored: list[tuple[list[Stream], list[PlantedStream]]] = []
    missing = refused = 0
    seconds = 0.0
    async with open_session(engine) as session:
        for user_id, entry in sorted(entries.items()):
            as_of = date.fromisoformat(entry["as_of"])
            started = time.perf_counter()
            try:
                streams = await user_streams(session, user_id, as_of)
            except NotFound:
                missing += 1
                continue
            except ConsentRequired:
                refused += 1
                continue
            finally:
                seconds += time.perf_counter() - started
                await session.rollback()  # end the read: no long-lived snapshot
            scored.append((streams, planted_from_manifest(entry)))
    return SeededStreamReport(
        evaluation=evaluate_streams(scored),
        users=len(entries),
        evaluated=len(scored),
        missing_users=missing,
        without_consent=refused,
        seconds_per_user=seconds / len(entries) if entries else 0.0,
    )
