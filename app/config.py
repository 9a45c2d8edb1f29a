"""Runtime configuration, read from the environment (and an optional .env file)."""

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Repository (or image) root: the folder holding app/, migrations/ and data/.
ROOT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{ROOT_DIR / 'data' / 'spendsense.db'}"
# The dotenv file read besides the environment; set it empty to read none (the
# tests do, so a developer's .env cannot change what they see).
ENV_FILE_VARIABLE = "SPENDSENSE_ENV_FILE"
# The levels both Python's logging and uvicorn's --log-level know.
LogLevel = Literal["critical", "error", "warning", "info", "debug"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy async URL: sqlite+aiosqlite:///… or postgresql+asyncpg://…",
    )
    spendsense_api_key: SecretStr | None = Field(
        default=None, description="Bearer key required on /api/v1 routes; unset = open API"
    )
    log_level: LogLevel = Field(
        default="info", description="debug, info, warning, error or critical (any case)"
    )
    max_body_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    # The largest statement file or Plaid page an import takes (its own limit:
    # the import routes are held to it instead of MAX_BODY_BYTES).
    spendsense_import_max_bytes: int = Field(
        default=10 * 1024 * 1024, gt=0, description="bytes of one imported file or Plaid page"
    )
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=5000)
    # The connection pool of each worker process. Every connection it may
    # open counts against the server's max_connections, in every worker of
    # every replica: (pool size + overflow) x workers x replicas must stay
    # below it. Overflow connections are closed as soon as they are returned,
    # so a steady load above the pool size would open one per request: the
    # default has none, and requests beyond the pool wait for a connection.
    db_pool_size: int = Field(default=10, ge=1, le=1000)
    db_max_overflow: int = Field(default=0, ge=0, le=1000)
    db_pool_timeout: float = Field(
        default=30.0, gt=0, description="seconds a request waits for a pooled connection"
    )
    # Connections older than this are replaced at their next checkout: a
    # server or a firewall may drop idle sessions without telling the client.
    db_pool_recycle: int = Field(default=1800, ge=0, description="seconds; 0 = never")
    # Worker processes the container's uvicorn runs (uvicorn reads the
    # variable itself); checked here so a bad value stops the start early.
    web_concurrency: int = Field(default=1, ge=1, le=256)

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_case_level(cls, value: Any) -> Any:
        """LOG_LEVEL=DEBUG or Debug is debug; a name that is no level is refused
        here, at start, rather than by logging once the server runs."""
        return value.lower() if isinstance(value, str) else value


@lru_cache
def get_settings() -> Settings:
    return Settings(_env_file=os.environ.get(ENV_FILE_VARIABLE, ".env") or None)
