"""OFX / QFX statement files, from the shapes banks write."""

from datetime import UTC, datetime

import pytest

from app.services.imports import ImportRefused, parse_ofx
from app.services.imports.statement import AccountKey, ParsedFile, StatementLine
from tests.imports.conftest import fixture_bytes


def read(name: str) -> ParsedFile:
    return parse_ofx(fixture_bytes(name))


def refusal(data: bytes) -> list[dict[str, object]]:
    with pytest.raises(ImportRefused) as caught:
        parse_ofx(data)
    return [{**error, "loc": list(error["loc"])} for error in caught.value.errors]


def by_id(lines: list[StatementLine]) -> dict[str | None, StatementLine]:
    return {line.source_id: line for line in lines}


def test_sgml_102_with_cp1252_header_and_unclosed_leaves() -> None:
    parsed = read("ofx/checking_102_sgml_cp1252.ofx")
    (statement,) = parsed.statements
    assert statement.key == AccountKey("121000248", "000123456789", "CHECKING")
    account = statement.account
    assert account is not None
    assert (account.type, account.subtype, account.mask) == ("depository", "checking", "6789")
    assert account.name == "Café Credit Union Checking ending in 6789"  # 0xE9 read as cp1252
    assert account.currency == "USD"
    assert account.balance == 183418
    assert account.balance_as_of == datetime(2024, 4, 15, 17, 0, tzinfo=UTC)
    assert account.limit is None
    lines = by_id(statement.lines)
    payroll = lines["202404010001"]
    assert (payroll.amount, payroll.date) == (-250000, datetime(2024, 4, 1, 17, tzinfo=UTC))
    assert payroll.description == "ACME CORP PAYROLL PPD ID: 9876543210"
    assert (payroll.category, payroll.category_detailed) == ("INCOME", "INCOME_WAGES")
    assert payroll.pending is False
    cafe = lines["202404030001"]
    assert (cafe.amount, cafe.description) == (475, "Café Royal #12 PARIS TX")  # "-4,75"
    assert cafe.merchant_name == "Café Royal"
    netflix = lines["202404050001"]
    assert netflix.date == datetime(2024, 4, 5, 8, 0, tzinfo=UTC)  # 00:00 at UTC-8
    assert netflix.description == "NETFLIX.COM 866-579-7172 CA"  # MEMO adds nothing
    assert netflix.merchant_name == "Netflix"
    assert lines["202404060001"].description == "Check 1042"
    assert lines["202404070001"].category == "BANK_FEES"
    assert lines["202404080001"].category == "TRANSFER_OUT"
    interest = lines["202404100001"]
    assert (interest.amount, interest.description) == (-42, "INTEREST PAYMENT")
    assert interest.category_detailed == "INCOME_INTEREST_EARNED"


def test_repeated_fitid_first_wins_with_a_warning() -> None:
    parsed = read("ofx/checking_102_sgml_cp1252.ofx")
    (statement,) = parsed.statements
    assert [line.source_id for line in statement.lines].count("202404100001") == 1
    assert by_id(statement.lines)["202404100001"].description == "INTEREST PAYMENT"
    assert parsed.warnings == [
        "statement 0: FITID '202404100001' appears more than once; the first is kept"
    ]


def test_corrections_replace_and_delete() -> None:
    (statement,) = read("ofx/checking_102_sgml_cp1252.ofx").statements
    replacing = by_id(statement.lines)["202404120002"]
    assert (replacing.replaces, replacing.amount) == ("202404120001", 6000)
    assert "202404120003" not in by_id(statement.lines)  # a DELETE is no transaction
    assert statement.deletes == ["202403300009"]


def test_lines_without_fitid_count_their_occurrences() -> None:
    (statement,) = read("ofx/checking_102_sgml_cp1252.ofx").statements
    transfers = [line for line in statement.lines if line.source_id is None]
    assert [(line.amount, line.occurrence) for line in transfers] == [(50000, 0), (50000, 1)]
    assert len(statement.lines) == 10  # 12 STMTTRN: a repeated FITID and a DELETE


def test_xml_220_entities_and_empty_elements() -> None:
    parsed = read("ofx/savings_220_xml.ofx")
    (statement,) = parsed.statements
    account = statement.account
    assert account is not None
    assert (account.subtype, account.name) == ("savings", "Ally Bank Savings ending in 5432")
    assert account.balance_as_of == datetime(2024, 4, 30, 23, 59, 59, tzinfo=UTC)
    lines = by_id(statement.lines)
    assert lines["SAV-0413-1"].description == "Online Transfer from CHK ...6789"  # empty MEMO
    assert lines["SAV-0413-1"].category == "TRANSFER_IN"
    assert lines["SAV-0420-1"].description == (
        "Barnes & Noble édition \u2014 <gift> R&D dept &foo; Q&A"
    )
    # [+5.30:IST]: 23:59:59 at UTC+5:30
    assert lines["SAV-0430-INT"].date == datetime(2024, 4, 30, 18, 29, 59, tzinfo=UTC)
    assert parsed.warnings == []


def test_qfx_card_with_intuit_elements() -> None:
    parsed = read("ofx/card_chase.qfx")
    (statement,) = parsed.statements
    assert statement.key == AccountKey("", "4147202298761234", "CARD")
    account = statement.account
    assert account is not None
    assert (account.type, account.subtype, account.name) == (
        "credit",
        "credit_card",
        "B1 Card ending in 1234",
    )
    assert account.balance == 183000  # -BALAMT: owed
    assert account.limit == 300000  # owed + available credit
    lines = by_id(statement.lines)
    spotify = lines["2024042224692164071000011"]
    assert (spotify.amount, spotify.merchant_name) == (1199, "Spotify")
    assert lines["2024042524692164071000012"].merchant_name == "Blue Bottle Coffee"
    payment = lines["2024050124692164071000013"]
    assert (payment.amount, payment.category) == (-35000, "LOAN_PAYMENTS")
    interest = lines["2024051924692164071000014"]
    assert (interest.amount, interest.category, interest.category_detailed) == (
        2317,
        "BANK_FEES",
        "BANK_FEES_INTEREST_CHARGE",
    )
    assert interest.merchant_name == "Interest Charge"
    assert lines["2024051024692164071000015"].merchant_name == "Amazon"


def test_card_statement_lower_case_names_and_payee() -> None:
    (statement,) = read("ofx/card_ccstmtrs_103.ofx").statements
    account = statement.account
    assert account is not None
    assert (account.mask, account.balance, account.limit) == ("1009", 18450, None)
    assert [(line.amount, line.description) for line in statement.lines] == [
        (8900, "HLU*HULU 1234567 HULU.COM/BILLCA Streaming"),
        (-2500, "DELTA AIR LINES REFUND"),
        (12050, "Whole Foods Market"),  # PAYEE.NAME without NAME or MEMO
    ]
    assert statement.lines[0].merchant_name == "Hulu"


def test_two_statements_and_a_transaction_outside_its_list() -> None:
    parsed = read("ofx/two_statements.ofx")
    checking, money_market = parsed.statements
    assert (checking.index, money_market.index) == (0, 1)
    assert [line.source_id for line in checking.lines] == ["C1", "C2"]
    assert checking.lines[1].category_detailed == "RENT_AND_UTILITIES_RENT"
    assert money_market.account is not None
    assert money_market.account.subtype == "money_market"
    assert money_market.account.name == "Bank Money market ending in 7799"
    assert money_market.lines[0].amount == -100000


def test_same_account_merged_by_fitid_latest_balance_and_skipped_investment() -> None:
    parsed = read("ofx/same_account_and_investment.ofx")
    (statement,) = parsed.statements
    assert [(line.source_id, line.description) for line in statement.lines] == [
        ("A", "FIRST"),
        ("B", "SECOND"),
        ("C", "THIRD"),
    ]
    assert statement.account is not None
    assert statement.account.balance == 90000  # DTASOF 2024-06-30 beats 2024-05-31
    assert parsed.warnings == [
        "statement 0: no currency given; USD assumed",
        "statement 1: no currency given; USD assumed",
        "statement 2 (investment) was skipped: only bank and card statements are imported",
    ]


def test_truncated_file_is_refused() -> None:
    assert refusal(fixture_bytes("fail_nice/truncated.ofx")) == [
        {
            "loc": [0, "STMTRS"],
            "msg": "the file ends inside statement 0 (no </STMTRS>): it was cut short; "
            "download it again",
            "type": "ofx_truncated",
        }
    ]


def test_file_cut_after_its_statements_is_read() -> None:
    data = fixture_bytes("ofx/two_statements.ofx")
    cut = data[: data.index(b"</BANKMSGSRSV1>")]
    assert len(parse_ofx(cut).statements) == 2


def test_bank_error_response_carries_the_message() -> None:
    assert refusal(fixture_bytes("fail_nice/bank_error.ofx")) == [
        {
            "loc": ["STATUS"],
            "msg": "the bank answered with an error (code 15500) instead of a statement: "
            "Signon invalid: your password has expired",
            "type": "ofx_bank_error",
        }
    ]


@pytest.mark.parametrize("name", ["fail_nice/billion_laughs.ofx", "fail_nice/external_entity.ofx"])
def test_declarations_are_refused(name: str) -> None:
    (error,) = refusal(fixture_bytes(name))
    assert (error["loc"], error["type"]) == (["DOCTYPE"], "ofx_declaration")


def test_entity_declaration_without_doctype_is_refused() -> None:
    (error,) = refusal(b'<OFX><!ENTITY a "b"><STMTRS></STMTRS></OFX>')
    assert error["loc"] == ["ENTITY"]


def test_bad_rows_name_the_fitid() -> None:
    assert refusal(fixture_bytes("fail_nice/bad_rows.ofx")) == [
        {
            "loc": [0, "FEB31"],
            "msg": "DTPOSTED '20120231' is not a date that exists (FITID 'FEB31')",
            "type": "ofx_date_invalid",
        },
        {
            "loc": [0, "DOLLAR"],
            "msg": "TRNAMT '$120' is not a signed number",
            "type": "ofx_amount_invalid",
        },
        {
            "loc": [0, "MILLS"],
            "msg": "TRNAMT '-1.005' has more than two decimals",
            "type": "ofx_amount_invalid",
        },
        {
            "loc": [0, "NODATE"],
            "msg": "DTPOSTED is missing (FITID 'NODATE')",
            "type": "ofx_date_missing",
        },
    ]


def test_not_ofx_is_refused() -> None:
    assert refusal(b"Date,Description,Amount\n")[0]["loc"] == ["OFX"]


STATEMENT = (
    "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>{curdef}<BANKACCTFROM>{acct}</BANKACCTFROM>"
    "<BANKTRANLIST>{lines}</BANKTRANLIST>{balances}</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
)


def one(
    lines: str = "",
    acct: str = "<BANKID>1<ACCTID>12<ACCTTYPE>CHECKING",
    balances: str = "<LEDGERBAL><BALAMT>5.00<DTASOF>20240101</LEDGERBAL>",
    curdef: str = "<CURDEF>USD",
) -> ParsedFile:
    text = STATEMENT.format(curdef=curdef, acct=acct, lines=lines, balances=balances)
    return parse_ofx(text.encode())


def trn(fields: str) -> str:
    return f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240102{fields}</STMTTRN>"


@pytest.mark.parametrize(
    ("number", "kind", "subtype", "name"),
    [
        ("987654321", "CHECKING", "checking", "Bank Checking ending in 4321"),
        ("12", "SAVINGS", "savings", "Bank Savings ending in 0012"),
        ("1-2-3-4-5", "MONEYMRKT", "money_market", "Bank Money market ending in 2345"),
        ("5555", "CREDITLINE", "credit_card", "Bank Card ending in 5555"),
    ],
)  # fmt: skip
def test_accttype_mapping(number: str, kind: str, subtype: str, name: str) -> None:
    (statement,) = one(acct=f"<ACCTID>{number}<ACCTTYPE>{kind}").statements
    assert statement.key is not None and statement.account is not None
    assert (statement.key.kind, statement.account.subtype, statement.account.name) == (
        kind,
        subtype,
        name,
    )


def test_unknown_or_empty_accttype_is_checking_with_a_warning() -> None:
    parsed = one(acct="<ACCTID>77<ACCTTYPE>CD")
    assert parsed.statements[0].account is not None
    assert parsed.statements[0].account.subtype == "checking"
    assert parsed.warnings == ["statement 0: ACCTTYPE CD; read as a checking account"]
    parsed = one(acct="<ACCTID>77<ACCTTYPE>")
    assert parsed.warnings == ["statement 0: ACCTTYPE missing; read as a checking account"]


def test_creditline_balance_is_what_is_owed() -> None:
    (statement,) = one(
        acct="<ACCTID>5555<ACCTTYPE>CREDITLINE",
        balances="<LEDGERBAL><BALAMT>-250.00<DTASOF>20240101</LEDGERBAL>"
        "<AVAILBAL><BALAMT>750.00<DTASOF>20240101</AVAILBAL>",
    ).statements
    assert statement.account is not None
    assert (statement.account.balance, statement.account.limit) == (25000, 100000)


def test_card_limit_left_when_not_positive() -> None:
    text = (
        "<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>USD<CCACCTFROM><ACCTID>9"
        "</CCACCTFROM><LEDGERBAL><BALAMT>-100<DTASOF>20240101</LEDGERBAL><AVAILBAL><BALAMT>"
        "-200<DTASOF>20240101</AVAILBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>"
    )
    account = parse_ofx(text.encode()).statements[0].account
    assert account is not None
    assert (account.balance, account.limit) == (10000, None)


def test_currency_falls_back_to_cursym_then_usd() -> None:
    parsed = one(curdef="<CURRENCY><CURSYM>eur<CURRATE>1.1</CURRENCY>")
    assert parsed.statements[0].account is not None
    assert parsed.statements[0].account.currency == "EUR"
    parsed = one(curdef="<CURDEF>dollars")
    assert parsed.statements[0].account is not None
    assert parsed.statements[0].account.currency == "USD"
    assert parsed.warnings == ["statement 0: 'dollars' is not a currency code; USD assumed"]


@pytest.mark.parametrize(
    ("balances", "balance", "as_of", "warning"),
    [
        ("", None, None, "statement 0: no LEDGERBAL BALAMT; the balance is left as it is"),
        ("<LEDGERBAL><BALAMT><DTASOF>20240101</LEDGERBAL>", None, None,
         "statement 0: no LEDGERBAL BALAMT; the balance is left as it is"),
        ("<LEDGERBAL><BALAMT>n/a<DTASOF>20240101</LEDGERBAL>", None, None,
         "statement 0: LEDGERBAL BALAMT 'n/a' is not a signed number; the balance is left as it "
         "is"),
        ("<LEDGERBAL><BALAMT>12.50</LEDGERBAL>", 1250, None,
         "statement 0: no readable LEDGERBAL DTASOF; balance date unknown"),
        ("<LEDGERBAL><BALAMT>12.50<DTASOF>20240231</LEDGERBAL>", 1250, None,
         "statement 0: no readable LEDGERBAL DTASOF; balance date unknown"),
    ],
)  # fmt: skip
def test_balance_rules_warn(
    balances: str, balance: int | None, as_of: datetime | None, warning: str
) -> None:
    parsed = one(balances=balances)
    account = parsed.statements[0].account
    assert account is not None
    assert (account.balance, account.balance_as_of) == (balance, as_of)
    assert parsed.warnings == [warning]


@pytest.mark.parametrize(
    ("fields", "description"),
    [
        ("<TRNAMT>-1<FITID>1<NAME>SHOP<MEMO>REF 12", "SHOP REF 12"),
        ("<TRNAMT>-1<FITID>1<NAME>SHOP<MEMO>shop", "SHOP"),
        ("<TRNAMT>-1<FITID>1<NAME>BIG SHOP INC<MEMO>Shop", "BIG SHOP INC"),
        ("<TRNAMT>-1<FITID>1<MEMO>ONLY MEMO", "ONLY MEMO"),
        ("<TRNAMT>-1<FITID>1<PAYEE><NAME>Payee Co<ADDR1>1 Main</PAYEE>", "Payee Co"),
        ("<TRNAMT>-1<FITID>1<CHECKNUM>1042", "Check 1042"),
        ("<TRNAMT>-1<FITID>1", "DEBIT"),
    ],
)
def test_description_rules(fields: str, description: str) -> None:
    (line,) = one(lines=trn(fields)).statements[0].lines
    assert line.description == description


@pytest.mark.parametrize(
    ("trnamt", "cents"),
    [("-12.34", 1234), ("12,34", -1234), ("+5", -500), ("-.5", 50), ("-7.", 700),
     ("-12.3400", 1234), ("0", 0), ("-0.01", 1)],
)  # fmt: skip
def test_trnamt_exact_cents_in_our_sign(trnamt: str, cents: int) -> None:
    (line,) = one(lines=trn(f"<TRNAMT>{trnamt}<FITID>1<NAME>X")).statements[0].lines
    assert line.amount == cents


@pytest.mark.parametrize("trnamt", ["$120", "1,234.56", "12.345", "- 1", "1e3", "", "abc"])
def test_bad_trnamt_is_refused_naming_the_fitid(trnamt: str) -> None:
    lines = trn(f"<TRNAMT>{trnamt}<FITID>F-9<NAME>X")
    (error,) = refusal(STATEMENT.format(curdef="", acct="", lines=lines, balances="").encode())
    assert error["loc"] == [0, "F-9"]
    assert str(error["msg"]).startswith("TRNAMT")


def test_a_correction_equal_to_its_own_fitid_is_plain() -> None:
    lines = trn("<TRNAMT>-1<FITID>X1<CORRECTFITID>X1<CORRECTACTION>DELETE<NAME>A")
    (statement,) = one(lines=lines).statements
    assert ([line.source_id for line in statement.lines], statement.deletes) == (["X1"], [])


def test_a_correction_without_action_is_plain_with_a_warning() -> None:
    parsed = one(lines=trn("<TRNAMT>-1<FITID>X2<CORRECTFITID>X1<NAME>A"))
    assert parsed.statements[0].lines[0].replaces is None
    assert parsed.warnings == [
        "statement 0: CORRECTFITID 'X1' without CORRECTACTION REPLACE or DELETE; "
        "read as a plain transaction"
    ]


def test_stray_and_misplaced_end_tags_are_ignored() -> None:
    lines = (
        "</NAME></BANKTRANLIST2><STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240102</TRNAMT>"
        "<TRNAMT>-1.00</FOO><FITID>A</FITID></MEMO><NAME>Z</NAME></STMTTRN></STMTTRN>"
    )
    (line,) = one(lines=lines).statements[0].lines
    assert (line.source_id, line.amount, line.description) == ("A", 100, "Z")


def test_unclosed_statements_close_at_the_next_sibling() -> None:
    text = (
        "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKACCTFROM><ACCTID>1<ACCTTYPE>SAVINGS"
        "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240101<TRNAMT>1<FITID>a"
        "<STMTTRNRS><STMTRS><BANKACCTFROM><ACCTID>2<ACCTTYPE>SAVINGS"
        "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240101<TRNAMT>2<FITID>b</OFX>"
    )
    parsed = parse_ofx(text.encode())
    shapes = [
        (s.key.number if s.key else None, [ln.amount for ln in s.lines]) for s in parsed.statements
    ]
    assert shapes == [("1", [-100]), ("2", [-200])]


def test_a_file_without_statements_warns() -> None:
    parsed = parse_ofx(
        b"OFXHEADER:100\n<OFX><SIGNONMSGSRSV1><SONRS></SONRS></SIGNONMSGSRSV1></OFX>"
    )
    assert (parsed.statements, parsed.warnings) == (
        [],
        ["the file holds no bank or card statement"],
    )


def test_status_warning_is_passed_on() -> None:
    text = "<OFX><STATUS><CODE>2000<SEVERITY>WARN<MESSAGE>Partial data</STATUS></OFX>"
    assert parse_ofx(text.encode()).warnings[0] == "the bank warns (code 2000): Partial data"


def test_statement_error_status_is_refused() -> None:
    text = (
        "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>2003<SEVERITY>ERROR"
        "<MESSAGE>Account not found</STATUS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    )
    (error,) = refusal(text.encode())
    assert error["msg"] == (
        "the bank answered with an error (code 2003) instead of a statement: Account not found"
    )


def test_utf8_wins_over_a_cp1252_label() -> None:
    text = "OFXHEADER:100\nCHARSET:1252\n\n" + STATEMENT.format(
        curdef="", acct="<ACCTID>1", lines=trn("<TRNAMT>-1<FITID>1<NAME>Crème brûlée"), balances=""
    )
    (line,) = parse_ofx(text.encode("utf-8")).statements[0].lines
    assert line.description == "Crème brûlée"


def test_latin1_label_is_honoured_when_not_utf8() -> None:
    text = "OFXHEADER:100\nCHARSET:ISO-8859-1\n\n" + STATEMENT.format(
        curdef="",
        acct="<ACCTID>1",
        lines=trn("<TRNAMT>-1<FITID>1<NAME>Caf\u00e9 \u0080"),
        balances="",
    )
    (line,) = parse_ofx(text.encode("latin-1")).statements[0].lines
    assert line.description == "Café \u0080"  # 0x80 is a C1 control in ISO-8859-1, € in cp1252


def test_a_name_cut_at_32_characters_takes_the_payee_from_the_memo_repeating_it() -> None:
    whole = "PURCHASE AUTHORIZED ON 03/12 BLUE BOTTLE COFFEE OAKLAND CA S12345678901 CARD 1234"
    cut = whole[:32]
    lines = trn(f"<TRNAMT>-4.50<FITID>a<NAME>{cut}<MEMO>{whole}") + trn(
        "<TRNAMT>-4.50<FITID>b<NAME>PURCHASE AUTHORIZED ON 03/12<MEMO>BLUE BOTTLE COFFEE"
    )
    (statement,) = one(lines).statements
    found = by_id(statement.lines)
    # The description keeps NAME and MEMO as the contract says; the merchant
    # comes from the MEMO that repeats the cut NAME whole.
    assert found["a"].description == f"{cut} {whole}"
    assert found["a"].merchant_name == "Blue Bottle Coffee"
    # A NAME under the limit was not cut: it stays the payee field.
    assert found["b"].merchant_name == "Purchase Authorized On"
