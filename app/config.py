"""Runtime configuration, read from the environment (and an optional .env file).

A setting that cannot work stops the service, the CLI and the container at
start with one line per mistake (setting_problems): the variable, what is
wrong with it and an example of a good value (each field's `examples`)."""

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

# Repository (or image) root: the folder holding app/, migrations/ and data/.
ROOT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{ROOT_DIR / 'data' / 'spendsense.db'}"
# The dotenv file read besides the environment; set it empty to read none (the
# tests do, so a developer's .env cannot change what they see).
ENV_FILE_VARIABLE = "SPENDSENSE_ENV_FILE"
# The levels both Python's logging and uvicorn's --log-level know.
LogLevel = Literal["critical", "error", "warning", "info", "debug"]

# The async driver the service runs each database with. A URL without a
# driver (what hosting platforms hand out: postgres://, postgresql://; and
# SQLAlchemy's own sqlite:///) gets it; another driver is a mistake.
ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
BACKEND_ALIASES = {"postgres": "postgresql"}
DATABASE_URL_EXAMPLES = [
    "sqlite+aiosqlite:///data/spendsense.db",
    "postgresql+asyncpg://user:password@localhost:5432/spendsense",
]
# What a settings mistake's line shows of a value it must not print.
_PASSWORD_IN_URL = re.compile(r"(://[^:/@]*:)[^@/]*@")


def normalize_database_url(value: str) -> str:
    """`value` with the service's async driver: postgres:// and postgresql://
    become postgresql+asyncpg://, sqlite:// becomes sqlite+aiosqlite://.
    ValueError, in words for a person, for anything the service cannot use."""
    if not value.strip():
        raise ValueError("it is empty (unset it for the SQLite file data/spendsense.db)")
    scheme, separator, rest = value.partition("://")
    backend, _, driver = scheme.lower().partition("+")
    backend = BACKEND_ALIASES.get(backend, backend)
    if not separator or not backend:
        raise ValueError("it is not a database URL (scheme://...)")
    if backend not in ASYNC_DRIVERS:
        raise ValueError(f"{backend} is not a database the service runs on (SQLite, PostgreSQL)")
    wanted = ASYNC_DRIVERS[backend]
    if driver and driver != wanted:
        raise ValueError(
            f"the driver {driver} is not the service's: it runs {backend} with {wanted} "
            f"({backend}+{wanted}://...)"
        )
    normalized = f"{backend}+{wanted}://{rest}"
    try:
        make_url(normalized)
    except ArgumentError:
        raise ValueError("it is not a database URL (scheme://...)") from None
    return normalized


def without_password(url: str) -> str:
    """A database URL fit for a message or a log: the password as ***."""
    return _PASSWORD_IN_URL.sub(r"\1***@", url)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy async URL: sqlite+aiosqlite:///… or postgresql+asyncpg://… "
        "(postgres://, postgresql:// and sqlite:// get the async driver)",
        examples=DATABASE_URL_EXAMPLES,
    )
    spendsense_api_key: SecretStr | None = Field(
        default=None, description="Bearer key required on /api/v1 routes; unset = open API"
    )
    log_level: LogLevel = Field(
        default="info",
        description="debug, info, warning, error or critical (any case)",
        examples=["info"],
    )
    max_body_bytes: int = Field(default=16 * 1024 * 1024, gt=0, examples=[16 * 1024 * 1024])
    # The largest statement file or Plaid page an import takes (its own limit:
    # the import routes are held to it instead of MAX_BODY_BYTES).
    spendsense_import_max_bytes: int = Field(
        default=10 * 1024 * 1024,
        gt=0,
        description="bytes of one imported file or Plaid page",
        examples=[10 * 1024 * 1024],
    )
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=5000, examples=[5000])
    # The connection pool of each worker process. Every connection it may
    # open counts against the server's max_connections, in every worker of
    # every replica: (pool size + overflow) x workers x replicas must stay
    # below it. Overflow connections are closed as soon as they are returned,
    # so a steady load above the pool size would open one per request: the
    # default has none, and requests beyond the pool wait for a connection.
    db_pool_size: int = Field(default=10, ge=1, le=1000, examples=[10])
    db_max_overflow: int = Field(default=0, ge=0, le=1000, examples=[0])
    db_pool_timeout: float = Field(
        default=30.0,
        gt=0,
        description="seconds a request waits for a pooled connection",
        examples=[30],
    )
    # Connections older than this are replaced at their next checkout: a
    # server or a firewall may drop idle sessions without telling the client.
    db_pool_recycle: int = Field(
        default=1800, ge=0, description="seconds; 0 = never", examples=[1800]
    )
    # Worker processes the container's uvicorn runs (uvicorn reads the
    # variable itself); checked here so a bad value stops the start early.
    web_concurrency: int = Field(default=1, ge=1, le=256, examples=[1])
    # The first migration of a database (revision 0006) loads the built-in
    # content catalog into an empty content table, so that a fresh service
    # recommends out of the box; false for deployments that bring their own.
    spendsense_load_catalog: bool = Field(
        default=True,
        description="load the built-in content catalog at the first migration",
        examples=["true"],
    )
    # The container's first start against a database without users loads
    # the synthetic demo data (`spendsense prepare`).
    seed_demo_data: bool = Field(default=False, examples=["false"])

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_case_level(cls, value: Any) -> Any:
        """LOG_LEVEL=DEBUG or Debug is debug; a name that is no level is refused
        here, at start, rather than by logging once the server runs."""
        return value.lower() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalize_database_url(value)


# Settings whose value a message never repeats.
_SECRET = frozenset({"spendsense_api_key"})


def setting_problems(error: ValidationError) -> list[str]:
    """One line per setting that failed, e.g. `LOG_LEVEL='verbose': input
    should be 'critical', 'error', 'warning', 'info' or 'debug'; e.g.
    LOG_LEVEL=info`."""
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        name = field.upper() or "settings"
        value = problem.get("input")
        shown = "" if field in _SECRET else f"={without_password(str(value))!r}"
        if problem["type"] == "value_error":
            why = str(problem["ctx"]["error"])
        else:
            why = problem["msg"][:1].lower() + problem["msg"][1:]
        line = f"{name}{shown}: {why}"
        info = Settings.model_fields.get(field)
        if info is not None and info.examples:
            line += "; e.g. " + " or ".join(f"{name}={example}" for example in info.examples)
        lines.append(line)
    return lines


@lru_cache
def get_settings() -> Settings:
    return Settings(_env_file=os.environ.get(ENV_FILE_VARIABLE, ".env") or None)
