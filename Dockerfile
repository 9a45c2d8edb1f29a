# SpendSense data service image.
#   docker compose up --build        (see docker-compose.yml)
#   docker build -t spendsense-data .
# Two stages on the same base: "build" installs the pinned runtime deps into a
# venv; the final stage copies only that venv and the source, so no pip cache,
# wheel or build backend ends up in the image.

FROM python:3.13-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

# Dependencies first, from the lock only: this layer is reused until the lock changes.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir -r /tmp/requirements.lock

# The project itself, editable from /app: app.config computes ROOT_DIR as the
# parent of app/, so app/ must stay at /app/app next to migrations/ and data/.
# The install records only metadata, the `spendsense` script and a finder that
# maps the package `app` to /app/app, so pyproject.toml and app/__init__.py are
# enough here (a source edit then skips this step); the final stage copies app/.
WORKDIR /app
COPY pyproject.toml ./
COPY app/__init__.py ./app/
RUN pip install --no-cache-dir --no-deps -e . \
    && pip uninstall --yes pip \
    && python -m compileall -q /opt/venv


FROM python:3.13-slim

ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

# The service user. The entry point drops to it with setpriv (util-linux, in
# every Debian base), so the check fails the build rather than the start.
RUN groupadd --gid 1000 spendsense \
    && useradd --uid 1000 --gid 1000 --no-create-home --home-dir /app \
       --shell /usr/sbin/nologin spendsense \
    && setpriv --version >/dev/null

COPY --from=build /opt/venv /opt/venv

WORKDIR /app
# Source stays root-owned and read-only for the service user; only data/ is writable.
COPY alembic.ini pyproject.toml ./
COPY migrations ./migrations
COPY app ./app
COPY docker/entrypoint.sh /usr/local/bin/spendsense-entrypoint
RUN chmod 0755 /usr/local/bin/spendsense-entrypoint \
    && python -m compileall -q /app/app /app/migrations \
    && mkdir -p /app/data \
    && chown spendsense:spendsense /app/data

# No USER: under `docker run` the entry point starts as root to create the
# data folder and give it to uid 1000 whoever owns it on the host, then runs
# everything else, uvicorn included, as uid 1000. docker-compose.yml instead
# runs that ownership step alone in a one-shot root container (`own-data`)
# and the API container as uid 1000 (`user:`), which skips the step.
EXPOSE 8000

# Standard library only: the slim image has no curl. /health answers 503 until
# migrated, and while the database cannot take writes (read-only, disk full).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

ENTRYPOINT ["spendsense-entrypoint"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", \
     "--timeout-graceful-shutdown", "5"]
