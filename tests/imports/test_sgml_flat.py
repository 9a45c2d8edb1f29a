"""The reader's one-match path for flat aggregates (OFX's STMTTRN) gives
exactly the events of the token loop, on every statement file of the tests
and on statement lines written every odd way."""

from pathlib import Path

import pytest

from app.services.imports.detect import declared_encoding, decode
from app.services.imports.ofx_markup import AGGREGATES, LEAVES, MERGED
from app.services.imports.sgml import Reader

TOKEN_BY_TOKEN = Reader(AGGREGATES, LEAVES, MERGED)
FLAT = Reader(AGGREGATES, LEAVES, MERGED, flat=frozenset({"STMTTRN"}))
FIXTURES = Path(__file__).parent.parent / "fixtures" / "statements"

HEAD = "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\r\n"
TAIL = "</BANKTRANLIST><LEDGERBAL><BALAMT>1</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
PLAIN = "<STMTTRN>\r\n<TRNTYPE>DEBIT\r\n<DTPOSTED>20240105\r\n<TRNAMT>-1.00\r\n<FITID>{n}\r\n"
PLAIN += "<NAME>SHOP {n}\r\n</STMTTRN>\r\n"

# Each written between two plain lines (and alone at the end).
ODD_LINES = [
    "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><TRNAMT>-2.00</TRNAMT><NAME>XML</NAME></STMTTRN>",
    "<stmttrn><trntype>DEBIT<trnamt>-2.00<name>lower</stmttrn>",
    "<STMTTRN><Name>Mixed case<TRNAMT>-2</STMTTRN>",
    "<STMTTRN><NAME>AT&amp;T &#38; CO<TRNAMT>-2</STMTTRN>",
    "<STMTTRN><NAME>A &B<TRNAMT>-2</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<PAYEE><NAME>Payee<ADDR1>1 Main</PAYEE><MEMO>m</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<NAME>cut</MEMO>after</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<NAME>x</BANKTRANLIST><MEMO>m</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<NAME>less < than<MEMO>2<3</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<NAME>no end tag",
    "<STMTTRN><TRNAMT>-2<!-- a comment --><NAME>c</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<MEMO><NAME>empty memo</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<FOO><NAME>unknown empty</FOO></STMTTRN>",
    "<STMTTRN><TRNAMT>-2<BAR><NAME>unknown empty, never closed</STMTTRN>",
    "<STMTTRN><NAME>first<NAME>second<TRNAMT>-2</STMTTRN>",
    '<STMTTRN><NAME a="1">attributes<TRNAMT>-2</STMTTRN>',
    "<STMTTRN><NAME/><TRNAMT>-2</STMTTRN>",
    "<STMTTRN><NAME><![CDATA[<cdata> & co]]><TRNAMT>-2</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<NAME>spaced end</STMTTRN >",
    "<STMTTRN><TRNAMT>-2<NAME>x</STMTTRN>text < x and more",
    "<STMTTRN><TRNAMT>-2<NAME>x</STMTTRN><?pi?>",
    "<STMTTRN >\r\n<TRNAMT>-2<NAME>space in start tag</STMTTRN>",
    "<STMTTRN>< x<TRNAMT>-2<NAME>text first</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<NAME>x<CURRENCY><CURRATE>1<CURSYM>EUR</CURRENCY></STMTTRN>",
    "<STMTTRN><TRNAMT>-2<NAME>x<CURRENCY><CURRATE>1<CURSYM>EUR</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<PAYEE>text in an aggregate<NAME>x</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<FOO><NAME>y</STMTTRN><STMTTRN><FOO>closed here</FOO></STMTTRN>",
    "<STMTTRN><TRNAMT>-2<NAME>x<STMTTRN><TRNAMT>-3<NAME>y</STMTTRN>",
    "<STMTTRN><TRNAMT>-2<NAME>dotted<BANKACCTTO.ACCTID>1</STMTTRN>",
    "<STMTTRN></STMTTRN>",
    "<STMTTRN><TRNAMT>  <NAME>  </STMTTRN>",
    "<STMTTRN><NAME>x</NAME >tail<TRNAMT>-2</STMTTRN>",
]


def statement(*lines: str) -> str:
    return HEAD + "".join(lines) + TAIL


def test_a_plain_line_is_read_in_one_match() -> None:
    text = statement(PLAIN.format(n=1), PLAIN.format(n=2))
    start = text.index("<STMTTRN>") + len("<STMTTRN>\r\n")
    pattern, _sibling = FLAT.flat["STMTTRN"]
    read = FLAT._flat(pattern, text, start)
    assert read is not None
    leaves, end = read
    assert leaves == {
        "TRNTYPE": "DEBIT",
        "DTPOSTED": "20240105",
        "TRNAMT": "-1.00",
        "FITID": "1",
        "NAME": "SHOP 1",
    }
    assert text[end:].startswith("<STMTTRN>")  # the text after the end tag is passed over


@pytest.mark.parametrize("odd", ODD_LINES)
def test_odd_lines_read_as_token_by_token(odd: str) -> None:
    for text in (
        statement(PLAIN.format(n=1), odd, PLAIN.format(n=2)),
        statement(PLAIN.format(n=1), odd),
        statement(odd, odd, PLAIN.format(n=1)),
        (HEAD + PLAIN.format(n=1) + odd)[: -len(odd) // 2],  # the file ends in it
    ):
        assert list(FLAT.events(text)) == list(TOKEN_BY_TOKEN.events(text))


def test_lines_without_end_tags_read_as_token_by_token() -> None:
    # Each line's own start tag ends a flat read: no match runs to the end
    # of the list from every line (which would take time squared).
    lines = [PLAIN.format(n=n).replace("</STMTTRN>", "") for n in range(200)]
    text = statement(*lines)
    assert list(FLAT.events(text)) == list(TOKEN_BY_TOKEN.events(text))
    assert sum(event[0] == "close" and event[1] == "STMTTRN" for event in FLAT.events(text)) == 200


@pytest.mark.parametrize(
    "path",
    sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".ofx", ".qfx")),
    ids=lambda p: p.name,
)
def test_every_statement_file_reads_as_token_by_token(path: Path) -> None:
    data = path.read_bytes()
    text = decode(data, declared=declared_encoding(data))
    assert list(FLAT.events(text)) == list(TOKEN_BY_TOKEN.events(text))
