"""schemathesis against a live server, every check on (issue 13): no 5xx,
every status and header documented, every response matching its schema,
every schema-valid request accepted (one stated exception:
tests/live/schemathesis.toml) and every schema-violating one refused,
405 with the right `Allow`, the API key enforced.

`make test` runs a short version (FUZZ_EXAMPLES, default 10 examples per
operation and phase, about half a minute); `make fuzz` a longer one on
SQLite and PostgreSQL: FUZZ_MAX_SECONDS gives schemathesis a time budget,
which it spends repeating the fuzzing and stateful phases. FUZZ_SEED fixes
the generation (default 13); `FUZZ_SEED=random` draws a new one."""

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.live.conftest import LiveAPI

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
SEED = os.environ.get("FUZZ_SEED", "13")
# A budget schemathesis spends in full (0: none, the examples bound the run).
MAX_SECONDS = int(os.environ.get("FUZZ_MAX_SECONDS", "0"))


def schemathesis_command(live_api: LiveAPI) -> list[str]:
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        f"{live_api.base_url}/openapi.json",
        "--header",
        f"Authorization: Bearer {live_api.key}",
        # No --checks: every built-in check runs by default, and a check
        # named on the command line would override the per-operation
        # exemption in schemathesis.toml (command line beats config file).
        "--max-examples",
        str(EXAMPLES),
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--no-color",
    ]
    if MAX_SECONDS:
        command += ["--max-time", str(MAX_SECONDS)]
    if SEED != "random":
        command += ["--seed", SEED]
    return command


def test_schemathesis_with_every_check_finds_nothing(live_api: LiveAPI, tmp_path: Path) -> None:
    result = subprocess.run(
        schemathesis_command(live_api),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=(MAX_SECONDS or 900) + 120,
    )
    output = result.stdout + result.stderr
    summary = output[output.find("=== SUMMARY") - 30 :] if "=== SUMMARY" in output else output
    print(summary)  # the figures: operations, phases, test cases, failures (pytest -s)
    assert result.returncode == 0, output[-20000:]
    assert "Failures:" not in summary
    tested = re.search(r"Tested: ([0-9]+)", summary)
    assert tested and int(tested[1]) >= 29, summary  # every operation of the document
