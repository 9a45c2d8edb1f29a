"""A tolerant reader of SGML-style markup, the way OFX has to be read.

OFX 1.x is SGML whose leaf elements have no end tags, and OFX in the wild is
malformed whatever version it claims, so every file is read this way (2.x
XML too): a leaf's value runs to the next tag and is trimmed; end tags are
optional and stray ones are ignored; names are case-insensitive; the five
XML entities and numeric character references are decoded and any other
`&` is literal. Nothing is ever expanded or fetched: the caller refuses
DOCTYPE / ENTITY declarations before reading.

What is an aggregate (an element with children) cannot be told from the
markup alone when end tags are missing, so the caller names its aggregates
with the parents each may sit in (an aggregate that opens closes the open
elements up to such a parent, as a missing end tag implies) and its leaves.
An element named in neither is a leaf when it holds text; when it holds none
it is an aggregate if the file closes it somewhere, else an empty leaf.

One pass of one regular expression over the text; the reader yields events
and keeps only the stack of open elements, so a file of any length is read
in little memory. An aggregate the caller names `flat` (a statement
line, thousands to a file) is read in one match when it holds nothing but
leaves written plainly (upper-case names, no attributes, no entity, each
leaf's end tag, if any, right after its value): the same leaves the token
loop would give, at a fraction of its cost. Anything else in it, and it is
read token by token.
"""

import re
from collections.abc import Generator, Iterator, Mapping
from typing import Literal

# A tag (start, end, or unterminated at a `<`), a comment, a declaration or a
# processing instruction, then the text up to the next tag. A `<` not
# followed by a letter, `/`, `!` or `?` is text.
_RAW_TEXT = r"[^<]*(?:<(?![A-Za-z/!?])[^<]*)*"
_TOKEN = re.compile(
    r"<(?:(/)?\s*([A-Za-z][^\s<>/]*)([^<>]*)(>)?|!--.*?(?:-->|\Z)|[!?][^<>]*>?)"
    rf"({_RAW_TEXT})",
    re.DOTALL,
)
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_END_TAG = re.compile(r"</\s*([A-Za-z][^\s<>/]*)")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# A flat aggregate's content: leaves written plainly, then its end tag and
# the text after it, which the token loop ignores (the name is filled in
# per aggregate; its own start tag ends the content, so no match runs on
# past the next one); and the start tag of a sibling straight after it,
# with its text.
_FLAT = r"(?:<(?!{name}>)([A-Z][A-Z0-9]*)>[^<&]*(?:</\1>[^<&]*)?)*</{name}>" + _RAW_TEXT
_SIBLING = "<{name}>" + _RAW_TEXT
_FLAT_LEAF = re.compile(r"<([A-Z][A-Z0-9]*)>([^<&]*)")

# Allowed parents meaning "only at the top": the element closes everything.
TOP = frozenset({""})

Event = tuple[Literal["open", "close", "eof"], str, dict[str, str]]


def _entity(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return match.group(0)  # not a character: left as written
    return chr(code)


def decode_entities(value: str) -> str:
    return _ENTITY.sub(_entity, value) if "&" in value else value


def _escape_cdata(match: re.Match[str]) -> str:
    return match.group(1).replace("&", "&amp;").replace("<", "&lt;")


class Reader:
    """Reads one text. `aggregates` maps each known aggregate to the
    elements it may sit in (empty: anywhere; TOP: only at the top);
    `leaves` names the known leaves; `merged` names aggregates whose leaves
    are also copied into their parent's as "CHILD.LEAF" (first value wins),
    so the parent sees e.g. LEDGERBAL.BALAMT."""

    def __init__(
        self,
        aggregates: Mapping[str, frozenset[str]],
        leaves: frozenset[str],
        merged: frozenset[str],
        flat: frozenset[str] = frozenset(),
    ) -> None:
        self.aggregates = aggregates
        self.aggregate_names = frozenset(aggregates)
        self.leaves = leaves
        self.merged = merged
        self.flat = {
            name: (re.compile(_FLAT.format(name=name)), re.compile(_SIBLING.format(name=name)))
            for name in flat
        }

    def events(self, text: str) -> Iterator[Event]:
        """("open", NAME, {}) when an aggregate opens; ("close", NAME,
        leaves) when it closes, by its end tag, an enclosing one, or a
        sibling that implies it; ("eof", NAME, leaves) for each aggregate
        still open when the text ends, innermost first. Leaves with empty
        values are absent."""
        if "<![CDATA[" in text:
            text = _CDATA.sub(_escape_cdata, text)
        aggregates, leaves = self.aggregates, self.leaves
        upper: dict[str, str] = {}  # each spelling of a name, upper-cased once
        closed: set[str] | None = None  # the names of every end tag in the text
        names: list[str] = []  # the open aggregates, outermost first
        values: list[dict[str, str]] = []
        flat = self.flat
        position = 0
        while (token := _TOKEN.search(text, position)) is not None:
            position = token.end()
            end, raw_name, attributes, _gt, raw_text = token.groups()
            if not raw_name:
                continue  # comment, declaration, processing instruction
            name = upper.get(raw_name) or upper.setdefault(raw_name, raw_name.upper())
            if end:
                if names and names[-1] == name:  # the usual case: the innermost closes
                    yield from self._close_to(names, values, len(names) - 1)
                elif name in names:
                    depth = len(names) - 1 - names[::-1].index(name)
                    yield from self._close_to(names, values, depth)
                continue
            if name in aggregates:
                depth = self._depth_for(name, names)
                if depth < len(names):
                    yield from self._close_to(names, values, depth)
                names.append(name)
                values.append({})
                yield "open", name, {}
                if name in flat:
                    position = yield from self._flat_run(name, names, values, text, position)
            elif (value := raw_text.strip()) or name in leaves or attributes.endswith("/"):
                if value and values:
                    if "&" in value:
                        value = decode_entities(value)
                    values[-1].setdefault(name, value)
            else:
                if closed is None:  # one pass over the text, the first time it matters
                    closed = {found.group(1).upper() for found in _END_TAG.finditer(text)}
                if name in closed:  # an aggregate we do not know: kept apart
                    names.append(name)
                    values.append({})
        while names:
            yield "eof", names.pop(), values.pop()

    def _flat_run(
        self, name: str, names: list[str], values: list[dict[str, str]], text: str, position: int
    ) -> Generator[Event, None, int]:
        """Read the flat aggregate `name` just opened (its content starts at
        `position`), then each sibling that follows it straight away, while
        they are written plainly; returns where the token loop goes on. A
        sibling opens where the first one did (the stack is as it was), so
        it closes nothing."""
        pattern, sibling = self.flat[name]
        merged = name in self.merged
        while (read := self._flat(pattern, text, position)) is not None:
            values[-1], position = read
            if merged:
                yield from self._close_to(names, values, len(names) - 1)
            else:  # _close_to's work for the one aggregate, without a generator a line
                names.pop()
                yield "close", name, values.pop()
            if (next_one := sibling.match(text, position)) is None:
                break
            position = next_one.end()
            names.append(name)
            values.append({})
            yield "open", name, {}
        return position

    def _flat(
        self, pattern: re.Pattern[str], text: str, position: int
    ) -> tuple[dict[str, str], int] | None:
        """The leaves of a flat aggregate whose content starts at
        `position`, and where its end tag ends; None when it is not written
        plainly (then the token loop reads it)."""
        found = pattern.match(text, position)
        if found is None:
            return None
        written = _FLAT_LEAF.findall(text, position, found.end())
        leaves = {name: value.strip() for name, value in written}
        # The usual line: each leaf once, each with a value, none an aggregate.
        if len(leaves) == len(written) and "" not in leaves.values():
            return (leaves, found.end()) if self.aggregate_names.isdisjoint(leaves) else None
        leaves = {}
        for name, value in written:
            if name in self.aggregates:
                return None
            if value := value.strip():
                leaves.setdefault(name, value)
            elif name not in self.leaves:
                return None  # an unknown element without text: maybe an aggregate
        return leaves, found.end()

    def _depth_for(self, name: str, names: list[str]) -> int:
        """Where a new `name` aggregate opens: after its innermost open
        allowed parent, or in place of an open `name` (a sibling whose end
        tag is missing), whichever is inner; else on top."""
        parents = self.aggregates[name]
        if not parents:
            return len(names)
        if "" in parents:  # TOP
            return 0
        for depth in range(len(names) - 1, -1, -1):
            if names[depth] in parents:
                return depth + 1
            if names[depth] == name:
                return depth
        return len(names)

    def _close_to(
        self, names: list[str], values: list[dict[str, str]], depth: int
    ) -> Iterator[Event]:
        """Close the open aggregates from the innermost down to `depth`."""
        while len(names) > depth:
            name, leaves = names.pop(), values.pop()
            if name in self.merged and values:
                parent = values[-1]
                for leaf, value in leaves.items():
                    parent.setdefault(f"{name}.{leaf}", value)
            yield "close", name, leaves
