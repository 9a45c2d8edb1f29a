"""Format sniffing and how bytes become text."""

import pytest

from app.services.imports.detect import declared_encoding, decode, detect_format


@pytest.mark.parametrize(
    "data",
    [
        b"OFXHEADER:100\nDATA:OFXSGML",
        b"ofxheader:100",
        b'<?xml version="1.0"?><OFX>',
        b'<?OFX OFXHEADER="200"?>',
        b"<OFX><SIGNONMSGSRSV1>",
        b"<ofx>",
        b"\xef\xbb\xbf\r\n\r\n   \t<OFX>",
        "\ufeff\n<OFX>".encode("utf-16-le"),
    ],
)
def test_ofx(data: bytes) -> None:
    assert detect_format(data) == "ofx"


@pytest.mark.parametrize(
    "data", [b"Date,Description,Amount\n", b"", b"\xef\xbb\xbfDate;Amount", b"<html>", b"x<OFX>"]
)
def test_csv(data: bytes) -> None:
    assert detect_format(data) == "csv"


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b"OFXHEADER:100\r\nENCODING:USASCII\r\nCHARSET:1252\r\n", "cp1252"),
        (b"OFXHEADER:100\nCHARSET:ISO-8859-1\n", "iso8859-1"),
        (b"OFXHEADER:100\nENCODING:UTF-8\nCHARSET:NONE\n", "utf-8"),
        (b'<?xml version="1.0" encoding="windows-1252"?>', "cp1252"),
        (b"OFXHEADER:100\nCHARSET:NONE\n", None),
        (b"OFXHEADER:100\nCHARSET:KLINGON\n", None),
        (b"Date,Amount\n", None),
    ],
)
def test_declared_encoding(head: bytes, codec: str | None) -> None:
    assert declared_encoding(head) == codec


def test_valid_utf8_wins_over_a_label() -> None:
    assert decode("Crème".encode(), declared="cp1252") == "Crème"


def test_invalid_utf8_uses_the_label_then_cp1252() -> None:
    assert decode(b"Caf\xe9 \x80", declared="iso8859-1") == "Café \x80"
    assert decode(b"Caf\xe9 \x80") == "Café €"
    assert decode(b"Caf\xe9", declared="utf-8") == "Café"  # a wrong UTF-8 label


def test_bom_and_nul() -> None:
    assert decode(b"\xef\xbb\xbfDate") == "Date"
    assert decode("\ufeffDate".encode("utf-16-le")) == "Date"
    assert decode(b"A\x00B") == "AB"
