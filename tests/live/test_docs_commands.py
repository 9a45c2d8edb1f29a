"""The docs' commands, run: every tested shell block of README.md and
docs/*.md against a live server on a fresh database, with the outputs the
docs show checked (tests/utils/doc_blocks.py; the convention is in
docs/development.md, "Tested docs"). Also: every shell block is marked,
few are not run, links resolve, and nothing points outside the repository."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.config import get_settings
from app.db import init_db
from tests.live.conftest import KEY, _free_port, _wait_until_up
from tests.utils.database import (
    ON_POSTGRES,
    create_postgres_database,
    drop_postgres_database,
    scratch_url,
)
from tests.utils.doc_blocks import (
    NOT_RUN,
    NOT_RUN_REASONS,
    TESTED,
    Segment,
    broken_links,
    check_output,
    mismatch,
    problems_of,
    read_blocks,
    run_page,
    segments_of,
)

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Blocks that need Docker, system packages or minutes: keep this short.
MAX_NOT_RUN = 6


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@contextmanager
def live_server(url: str) -> Iterator[str]:
    """uvicorn on a free loopback port over `url` (migrated), API key on."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SPENDSENSE_API_KEY": KEY, "LOG_LEVEL": "warning"}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_up(process, f"{base_url}/health")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def catalog_loaded() -> Iterator[None]:
    saved = os.environ.get("SPENDSENSE_LOAD_CATALOG")
    os.environ["SPENDSENSE_LOAD_CATALOG"] = "true"
    get_settings.cache_clear()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SPENDSENSE_LOAD_CATALOG"]
        else:
            os.environ["SPENDSENSE_LOAD_CATALOG"] = saved
        get_settings.cache_clear()


@contextmanager
def fresh_database() -> Iterator[str]:
    url = scratch_url()
    if ON_POSTGRES:
        create_postgres_database(url)
    try:
        # Migrated as a newcomer's is: with the built-in catalogue (the
        # suite's other databases start without it, tests/conftest.py).
        with catalog_loaded():
            init_db(url)
        yield url
    finally:
        if ON_POSTGRES:
            drop_postgres_database(url)


def reader_directory(where: Path) -> Path:
    """A directory like a checkout's root, for commands that name `.venv/bin/...`,
    alembic.ini, migrations/ (a copy: a tested autogenerate writes there) and
    the statement files of tests/fixtures/."""
    (where / ".venv").symlink_to(sys.prefix)
    (where / "alembic.ini").symlink_to(ROOT / "alembic.ini")
    # The statement files the import page uploads, where a checkout has them.
    (where / "tests").mkdir()
    (where / "tests" / "fixtures").symlink_to(ROOT / "tests" / "fixtures")
    shutil.copytree(ROOT / "migrations", where / "migrations", ignore=_caches)
    return where


def _caches(_directory: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__"]


def run_segments(path: Path, segments: list[Segment], tmp_path: Path) -> tuple[list[str], int]:
    missing = [tool for tool in ("bash", "curl") if shutil.which(tool) is None]
    assert not missing, f"the docs' commands need {', '.join(missing)} (apt-get install ...)"
    with fresh_database() as url, live_server(url) as base_url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SPENDSENSE_API_KEY": KEY,
            "SPENDSENSE_ENV_FILE": "",
        }
        return run_page(path, segments, base_url, reader_directory(tmp_path), env)


# --- the marking ----------------------------------------------------------------


def test_every_shell_block_is_marked_and_few_are_not_run() -> None:
    blocks = [block for page in PAGES for block in read_blocks(page)]
    problems = [problem for block in blocks for problem in problems_of(block)]
    assert problems == []
    shell = [block for block in blocks if block.is_shell]
    not_run = [block for block in shell if block.mode == NOT_RUN]
    tested = [block for block in shell if block.mode == TESTED]
    print(f"\n{len(tested)} tested shell blocks, {len(not_run)} not run:")
    for block in not_run:
        print(f"  {block.where} ({block.reason}: {NOT_RUN_REASONS[str(block.reason)]})")
    assert len(not_run) <= MAX_NOT_RUN, [block.where for block in not_run]
    assert len(tested) > 2 * len(not_run)


# --- the commands ---------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [page for page in PAGES if segments_of(read_blocks(page))],
    ids=_name,
)
def test_the_page_commands_do_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    segments = segments_of(read_blocks(page))
    failures, checked = run_segments(page, segments, tmp_path)
    assert failures == [], "\n\n".join(failures)
    assert checked >= 1, f"{_name(page)} runs commands but shows no output to check"


def test_a_page_that_shows_a_wrong_output_fails(tmp_path: Path) -> None:
    page = tmp_path / "wrong.md"
    page.write_text(
        "```sh test\n"
        "curl -s http://127.0.0.1:8000/health\n"
        '# -> {"status": "ok", "database": "ok"}\n'
        'curl -s -o /dev/null -w "%{http_code}\\n" http://127.0.0.1:8000/api/v1/users\n'
        "# -> 200\n"
        'curl -s -w " %{http_code}\\n" http://127.0.0.1:8000/api/v1/users/nobody'
        ' -H "Authorization: Bearer $SPENDSENSE_API_KEY"\n'
        '# -> {"detail": "user \'nobody\' not found"} 404\n'
        "false\n"
        "```\n"
        "```json output\n"
        '{"status": "ok"}\n'
        "```\n",
        encoding="utf-8",
    )
    directory = tmp_path / "reader"
    directory.mkdir()
    failures, checked = run_segments(page, segments_of(read_blocks(page)), directory)
    # Right: /health's fields and the 404. Wrong: /users without the key is
    # 401, not 200; `false` fails; its segment prints no JSON.
    assert checked == 4
    assert len(failures) == 3, "\n\n".join(failures)
    assert failures[0].startswith("wrong.md:5: $: expected 200, got 401")
    assert failures[1].startswith("wrong.md:8: a command failed with status 1")
    assert failures[2].startswith("wrong.md:10: expected JSON")


def test_the_expectations_match_as_documented() -> None:
    shown = '{"items": [{"id": "t3"}], "next_cursor": "1772697600000000.t3"}'
    printed = '{"items": [{"id": "t3", "amount": 1599}], "next_cursor": "1772697600000000.t3"}'
    assert check_output(shown, "creating…\n" + printed) is None
    assert check_output('{"created": 3} 201', '{"created": 3, "skipped": 0}\n201\n') is None
    assert check_output("created 0", "seeded: created 0\nusers") is None
    assert check_output('{"title": "After the…"}', '{"title": "After the fund"}') is None
    assert (
        mismatch({"value": 202000.0}, {"value": 202000}) == "$.value: expected 202000.0, got 202000"
    )
    assert mismatch([1, 2], [1, 2, 3]) == "$: expected 2 item(s), got [1, 2, 3]"
    assert mismatch({"a": {"b": True}}, {"a": {"b": 1}}) == "$.a.b: expected True, got 1"
    assert mismatch({"a": 1}, {"b": 1}) == "$: no field 'a' in ['b']"
    assert mismatch({"t": "Pay…"}, {"t": "Paid"}) is not None
    assert check_output("204", "404\n") == "$: expected 204, got 404"
    assert check_output("created 1", "created 10 users") is None  # text is a substring
    assert check_output("created 2", "created 10 users") is not None
    assert check_output("{}", "not json") is not None


# --- the pages ------------------------------------------------------------------


def test_links_resolve_and_every_docs_page_is_on_the_readme_map() -> None:
    broken = [problem for page in PAGES for problem in broken_links(page, ROOT)]
    assert broken == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    unlisted = [_name(page) for page in PAGES[1:] if f"]({_name(page)})" not in readme]
    assert unlisted == []


def test_the_docs_point_at_nothing_outside_the_repository() -> None:
    pages = [*PAGES, ROOT / "bench" / "README.md"]
    outside = [_name(page) for page in pages if "../shared" in page.read_text(encoding="utf-8")]
    assert outside == []


def test_the_readme_is_short() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 250
