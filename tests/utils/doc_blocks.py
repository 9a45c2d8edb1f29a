"""The shell blocks of README.md and docs/*.md, run as a reader would run
them, and the outputs the docs show, checked. The convention is stated in
docs/development.md ("Tested docs"):

- A fenced shell block (sh, bash, shell, console) is marked in its info
  string: ```` ```sh test ```` runs, ```` ```sh not-run docker ```` (or
  `system`, `minutes`) does not; an unmarked shell block is an error.
- In a tested block, a whole-line comment `# -> EXPECTED` shows what the
  commands above it (since the previous `# ->` line) print. EXPECTED is one
  or more JSON values, compared with the last JSON values of that output
  (a JSON subset: shown object keys must be there with matching values,
  arrays match item by item and in length, numbers match in value and in
  kind, int or float, and a string ending in "…" matches any string that
  starts with the part before it); anything else is text that must appear
  in the output (runs of whitespace compared as one space). Comment lines
  right after it that start with `#` and two spaces continue it.
- A fenced ```` ```json output ```` block shows the output of the commands
  after the last `# ->` line of the nearest tested block above it.
- The blocks of one page run in order, in one bash process (variables carry
  over), in a scratch directory holding `.venv`, `alembic.ini` and a copy of
  `migrations/`, against a live server on a fresh database:
  `http://127.0.0.1:8000` and `http://localhost:8000` are rewritten to its
  address, and DATABASE_URL and SPENDSENSE_API_KEY are exported. A command
  that fails (non-zero status) fails the page.
"""

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHELLS = frozenset({"sh", "bash", "shell", "console"})
TESTED = "test"
NOT_RUN = "not-run"
NOT_RUN_REASONS = {
    "docker": "needs a Docker engine",
    "system": "installs system packages or reaches a package index",
    "minutes": "takes minutes (benchmarks, the whole suite) or serves until stopped",
}
EXPECT = "# -> "
CONTINUE = "#  "  # a line after a `# ->` line that starts so continues it
OUTPUT = "output"
DOC_ADDRESSES = ("http://127.0.0.1:8000", "http://localhost:8000")
ELLIPSIS = "…"

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(.*)$")


@dataclass
class Segment:
    """Lines of shell, and what their output must show."""

    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)
    expected: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Block:
    path: Path
    line: int  # of the opening fence
    language: str
    flags: list[str]
    lines: list[tuple[int, str]]

    @property
    def is_shell(self) -> bool:
        return self.language in SHELLS

    @property
    def mode(self) -> str | None:
        return self.flags[0] if self.flags and self.flags[0] in (TESTED, NOT_RUN) else None

    @property
    def reason(self) -> str | None:
        return self.flags[1] if self.mode == NOT_RUN and len(self.flags) > 1 else None

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


def read_blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file, in order."""
    blocks: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence, info = opening.groups()
        words = info.split()
        body: list[tuple[int, str]] = []
        index += 1
        while index < len(lines):
            closing = _FENCE.match(lines[index])
            if closing and closing.group(2).startswith(fence) and not closing.group(3):
                break
            text = lines[index]
            body.append((index + 1, text[len(indent) :] if text.startswith(indent) else text))
            index += 1
        start = index - len(body)
        blocks.append(Block(path, start, words[0] if words else "", words[1:], body))
        index += 1
    return blocks


def problems_of(block: Block) -> list[str]:
    """What is wrong with a shell block's marking."""
    if not block.is_shell:
        if block.language == "json" and block.flags and block.flags != [OUTPUT]:
            return [f"{block.where}: a json block's only flag is `{OUTPUT}`"]
        return []
    if block.mode is None:
        return [f"{block.where}: mark the shell block `{TESTED}` or `{NOT_RUN} <reason>`"]
    if block.mode == NOT_RUN and block.reason not in NOT_RUN_REASONS:
        return [f"{block.where}: not-run reason must be one of {sorted(NOT_RUN_REASONS)}"]
    if block.mode == TESTED:
        inline = [n for n, text in block.lines if EXPECT.strip() in text and not _is_expect(text)]
        if inline:
            return [f"{block.path.name}:{inline[0]}: put `{EXPECT.strip()}` on a line of its own"]
    return []


def _is_expect(text: str) -> bool:
    return text.lstrip().startswith(EXPECT)


def segments_of(blocks: list[Block]) -> list[Segment]:
    """The tested blocks of a page cut into segments at their `# ->` lines,
    with each `json output` block added to the last segment before it."""
    segments: list[Segment] = []
    tested_seen = False
    for block in blocks:
        if block.is_shell and block.mode == TESTED:
            tested_seen = True
            current = Segment()
            segments.append(current)
            continues = False
            for number, text in block.lines:
                if _is_expect(text):
                    current.expected.append((number, text.lstrip()[len(EXPECT) :].strip()))
                    continues = True
                    continue
                if continues and text.lstrip().startswith(CONTINUE):
                    line, shown = current.expected[-1]
                    current.expected[-1] = (line, f"{shown}\n{text.lstrip()[1:].strip()}")
                    continue
                continues = False
                if current.expected:
                    current = Segment()
                    segments.append(current)
                current.lines.append((number, text))
        elif block.language == "json" and block.flags == [OUTPUT]:
            if not tested_seen:
                raise ValueError(f"{block.where}: a json output block after no tested block")
            tail = segments[-1]
            tail.expected.append((block.line, "\n".join(text for _, text in block.lines)))
    return [segment for segment in segments if segment.lines or segment.expected]


# --- expectations ---------------------------------------------------------------


def json_values(text: str) -> list[Any] | None:
    """`text` as a sequence of JSON values separated by whitespace, or None."""
    decoder = json.JSONDecoder()
    values = []
    position = 0
    text = text.strip()
    while position < len(text):
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return None
        values.append(value)
        while position < len(text) and text[position].isspace():
            position += 1
    return values or None


def trailing_json_values(output: str) -> list[Any] | None:
    """The JSON values that end `output`: from the first line on which the
    rest of the output is a sequence of JSON values."""
    lines = output.strip().splitlines()
    for start in range(len(lines)):
        values = json_values("\n".join(lines[start:]))
        if values is not None:
            return values
    return None


def mismatch(expected: Any, actual: Any, where: str = "$") -> str | None:
    """Why `actual` does not show `expected` (the subset rule), or None."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            if key not in actual:
                return f"{where}: no field {key!r} in {sorted(actual)}"
            problem = mismatch(value, actual[key], f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{where}: expected {len(expected)} item(s), got {actual!r}"
        for index, (item, got) in enumerate(zip(expected, actual, strict=True)):
            problem = mismatch(item, got, f"{where}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(expected, str) and expected.endswith(ELLIPSIS) and isinstance(actual, str):
        if actual.startswith(expected[: -len(ELLIPSIS)]):
            return None
        return f"{where}: expected a string starting {expected[:-1]!r}, got {actual!r}"
    if type(expected) is not type(actual) or expected != actual:
        return f"{where}: expected {expected!r}, got {actual!r}"
    return None


def check_output(expected_text: str, output: str) -> str | None:
    """Why `output` does not show `expected_text`, or None."""
    expected = json_values(expected_text)
    if expected is None:
        shown, got = " ".join(expected_text.split()), " ".join(output.split())
        return None if shown in got else f"the output does not contain {shown!r}"
    actual = trailing_json_values(output)
    if actual is None or len(actual) < len(expected):
        return f"expected JSON {expected_text!r}, the output is not JSON enough"
    for value, got in zip(expected, actual[-len(expected) :], strict=True):
        problem = mismatch(value, got)
        if problem:
            return problem
    return None


# --- running a page ---------------------------------------------------------------

_MARK = "@@docs-{}@@"
_ERR = re.compile(r"@@docs-err (\d+) (\d+)@@")


def script_of(segments: list[Segment], base_url: str) -> tuple[str, dict[int, int]]:
    """One bash script running the segments in order, each announced by a
    marker line on stdout, and a map of script lines to doc lines."""
    lines = [
        "set -o pipefail",
        'trap \'printf "\\n@@docs-err %s %s@@\\n" "$LINENO" "$?"\' ERR',
    ]
    doc_line: dict[int, int] = {}
    for number, segment in enumerate(segments):
        lines.append(f"printf '\\n{_MARK.format(number)}\\n'")
        for doc_number, text in segment.lines:
            for address in DOC_ADDRESSES:
                text = text.replace(address, base_url)
            lines.append(text)
            doc_line[len(lines)] = doc_number
    lines.append(f"printf '\\n{_MARK.format('end')}\\n'")
    return "\n".join(lines) + "\n", doc_line


def run_page(
    path: Path, segments: list[Segment], base_url: str, cwd: Path, env: dict[str, str]
) -> tuple[list[str], int]:
    """Run a page's segments; (the failures, how many expectations were checked)."""
    script, doc_line = script_of(segments, base_url)
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    failures: list[str] = []
    outputs = _split(result.stdout, len(segments))
    if outputs is None:
        return [f"{path.name}: the script stopped early\n{result.stdout}\n{result.stderr}"], 0
    checked = 0
    for segment, output in zip(segments, outputs, strict=True):
        for error in _ERR.finditer(output):
            line = doc_line.get(int(error.group(1)), 0)
            failures.append(
                f"{path.name}:{line}: a command failed with status {error.group(2)}\n"
                f"stdout:\n{_ERR.sub('', output)}\nstderr:\n{result.stderr[-3000:]}"
            )
        output = _ERR.sub("", output)
        for line, expected in segment.expected:
            checked += 1
            problem = check_output(expected, output)
            if problem:
                failures.append(f"{path.name}:{line}: {problem}\noutput:\n{output[-3000:]}")
    return failures, checked


def _split(stdout: str, count: int) -> list[str] | None:
    outputs = []
    for number in range(count):
        marker, following = _MARK.format(number), _MARK.format(number + 1)
        if number == count - 1:
            following = _MARK.format("end")
        if marker not in stdout or following not in stdout:
            return None
        outputs.append(stdout.split(marker, 1)[1].split(following, 1)[0])
    return outputs


# --- links ------------------------------------------------------------------------

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def anchor_of(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to -."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    in_code = False
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            found.add(anchor_of(line.lstrip("#")))
    return found


def broken_links(path: Path, root: Path) -> list[str]:
    """Relative links of a Markdown file whose file or heading does not exist."""
    broken = []
    text = path.read_text(encoding="utf-8")
    for target in _LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists() or root.resolve() not in [linked, *linked.parents]:
            broken.append(f"{path.name}: {target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{path.name}: {target}: no such heading")
    return broken
