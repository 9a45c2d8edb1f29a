"""Which format a file is, and how its bytes become text.

Banks mislabel encodings, so bytes that are valid UTF-8 are read as UTF-8
whatever a header claims; otherwise the file's own label (OFX header
CHARSET / ENCODING, or the XML declaration) if Python knows it, else
Windows-1252, the encoding of nearly every US bank export that is not UTF-8.
"""

import codecs
import re
from typing import Literal

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_OFX_START = re.compile(rb"\s*(?:OFXHEADER:|<\?xml|<\?OFX|<OFX>)", re.IGNORECASE)
# The encoding a file declares: an OFX 1.x header line, or encoding="..." in
# an XML declaration. Searched only in the head of the file.
_DECLARED = re.compile(
    rb"^\s*(CHARSET|ENCODING)\s*:\s*([^\s<]+)|<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']+)",
    re.IGNORECASE | re.MULTILINE,
)
_HEAD_BYTES = 2048
# OFX 1.x names code pages by number (CHARSET:1252) and says NONE / USASCII
# when it means "nothing special".
_LABELS = {"1252": "cp1252", "8859-1": "iso-8859-1", "ISO-8859-1": "iso-8859-1"}
_NO_LABEL = {"NONE", "USASCII", "US-ASCII", "ASCII"}


def detect_format(data: bytes) -> Literal["ofx", "csv"]:
    """OFX when the text, after an optional BOM, blank lines and whitespace,
    starts with OFXHEADER:, <?xml, <?OFX or <OFX> (any case); else CSV."""
    encoding, start = _bom(data)
    head = data[start : start + _HEAD_BYTES]
    if encoding.startswith("utf-16"):
        head = head.decode(encoding, errors="replace").encode("ascii", errors="replace")
    return "ofx" if _OFX_START.match(head) else "csv"


def _bom(data: bytes) -> tuple[str, int]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return "", 0


def declared_encoding(data: bytes) -> str | None:
    """The Python codec a file's header or XML declaration names, if it
    names one Python knows (the first declaration that does wins)."""
    for match in _DECLARED.finditer(data[:_HEAD_BYTES]):
        label = (match.group(2) or match.group(3)).decode("ascii", "replace").strip().upper()
        if label in _NO_LABEL:
            continue
        name = _LABELS.get(label, label)
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None


def decode(data: bytes, *, declared: str | None = None) -> str:
    """The file's text: a BOM's encoding; else UTF-8 when the bytes are valid
    UTF-8; else `declared` (a codec name); else cp1252. Bytes the chosen
    codec cannot map become U+FFFD. NUL characters are dropped (no database
    text may hold them, and no bank writes them on purpose)."""
    encoding, start = _bom(data)
    body = data[start:]
    if encoding:
        text = body.decode(encoding, errors="replace")
    else:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            # A label of UTF-8 on bytes that are not is one more mislabel.
            fallback = declared if declared not in (None, "utf-8") else "cp1252"
            text = body.decode(fallback or "cp1252", errors="replace")
    return text.replace("\x00", "") if "\x00" in text else text
