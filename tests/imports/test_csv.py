"""Bank CSV exports of several layouts."""

from datetime import UTC, datetime
from typing import TypedDict, Unpack

import pytest

from app.services.imports import CsvOptions, ImportRefused, parse_csv
from app.services.imports.statement import ParsedFile, StatementLine
from tests.imports.conftest import fixture_bytes


def read(name: str, options: CsvOptions | None = None, *, is_card: bool = False) -> ParsedFile:
    return parse_csv(fixture_bytes(name), options, is_card=is_card)


def lines_of(parsed: ParsedFile) -> list[StatementLine]:
    (statement,) = parsed.statements
    assert (statement.key, statement.account) == (None, None)
    return statement.lines


def refusal(data: bytes, options: CsvOptions | None = None) -> list[dict[str, object]]:
    with pytest.raises(ImportRefused) as caught:
        parse_csv(data, options)
    return [{**error, "loc": list(error["loc"])} for error in caught.value.errors]


def problem(loc: list[object], msg: str, kind: str) -> dict[str, object]:
    return {"loc": loc, "msg": msg, "type": kind}


def day(year: int, month: int, date: int) -> datetime:
    return datetime(year, month, date, tzinfo=UTC)


def test_chase_checking() -> None:
    parsed = read("csv/chase_checking.csv")
    lines = lines_of(parsed)
    assert [(line.date, line.amount) for line in lines] == [
        (day(2024, 4, 15), 1549), (day(2024, 4, 12), -250000), (day(2024, 4, 10), 15000),
        (day(2024, 4, 8), 35000), (day(2024, 4, 5), 120000), (day(2024, 4, 3), 50000),
        (day(2024, 4, 1), 1200), (day(2024, 4, 1), 1200),
    ]  # fmt: skip
    assert lines[0].description == "NETFLIX.COM 866-579-7172 CA              04/14"
    assert lines[0].merchant_name == "Netflix"
    assert [line.category for line in lines] == [
        "ENTERTAINMENT", "INCOME", "TRANSFER_OUT", "LOAN_PAYMENTS", "OTHER", "TRANSFER_OUT",
        "BANK_FEES", "BANK_FEES",
    ]  # fmt: skip
    assert lines[1].category_detailed == "INCOME_WAGES"
    assert [line.occurrence for line in lines[-2:]] == [0, 1]  # the same fee twice in a day
    assert all(line.source_id is None and not line.pending for line in lines)
    assert parsed.warnings == []


def test_card_with_positive_charges_and_a_bom() -> None:
    options = CsvOptions(sign="debit_positive")
    lines = lines_of(read("csv/amex_card.csv", options, is_card=True))
    assert [(line.amount, line.merchant_name, line.category) for line in lines] == [
        (2317, "Interest Charge On Purchases", "BANK_FEES"),
        (123456, "The French Laundry", "FOOD_AND_DRINK"),
        (-35000, "Online Payment - Thank You", "LOAN_PAYMENTS"),
        (4210, "Amazon", "GENERAL_MERCHANDISE"),
        (2341, "Uber", "TRANSPORTATION"),
        (1799, "Hulu", "ENTERTAINMENT"),
    ]
    assert lines[0].category_detailed == "BANK_FEES_INTEREST_CHARGE"


def test_debit_and_credit_columns_with_the_banks_categories() -> None:
    lines = lines_of(read("csv/capital_one_debit_credit.csv"))
    assert [(line.date, line.amount, line.category, line.category_detailed) for line in lines] == [
        (day(2024, 5, 22), 1840, "BANK_FEES", "BANK_FEES_INTEREST_CHARGE"),
        (day(2024, 5, 20), 3200, "ENTERTAINMENT", None),
        (day(2024, 5, 12), 29999, "GENERAL_MERCHANDISE", None),
        (day(2024, 5, 10), -50000, "LOAN_PAYMENTS", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"),
        (day(2024, 5, 4), 645, "FOOD_AND_DRINK", "FOOD_AND_DRINK_RESTAURANT"),  # "Dining"
        (day(2024, 5, 2), 4512, "TRANSPORTATION", "TRANSPORTATION_GAS"),
    ]
    assert lines[0].merchant_name == "Purchase Interest Charge"


def test_european_semicolons_decimal_comma_and_af_bij() -> None:
    options = CsvOptions(
        date_column="datum",
        description_column="Naam / Omschrijving",
        amount_column="Bedrag (EUR)",
        decimal=",",
    )
    lines = lines_of(read("csv/european_semicolon.csv", options))
    assert [(line.date, line.amount, line.description) for line in lines] == [
        (day(2024, 1, 15), 123456, "Albert Heijn 1234"),
        (day(2024, 1, 20), -250000, "Werkgever B.V."),
        (day(2024, 1, 25), 450, "Café de Flore"),  # cp1252
        (day(2024, 1, 31), 195, "Kosten OranjePakket"),
    ]


def test_european_file_without_its_options_has_no_header() -> None:
    (error,) = refusal(fixture_bytes("csv/european_semicolon.csv"))
    assert (error["loc"], error["type"]) == (["header"], "csv_header_missing")


def test_preamble_pending_section_and_totals() -> None:
    parsed = read("csv/bofa_preamble_pending_totals.csv")
    lines = lines_of(parsed)
    assert [(line.date, line.amount, line.pending) for line in lines] == [
        (day(2024, 4, 30), 645, True),
        (day(2024, 4, 2), -250000, False),
        (day(2024, 4, 5), 8999, False),
        (day(2024, 4, 10), 20000, False),
        (day(2024, 4, 15), 100000, False),  # (1,000.00)
        (day(2024, 4, 20), -1200, False),  # $12.00
    ]
    assert [line.merchant_name for line in lines[:3]] == ["Starbucks", "Acme Corp", "Xfinity"]
    assert parsed.warnings == ["line 8: a date but no amount; skipped"]


def test_several_accounts_are_refused_naming_them() -> None:
    assert refusal(fixture_bytes("csv/mint_multi_account.csv")) == [
        {
            "loc": [1, "Account Name"],
            "msg": "the file holds 3 accounts ('CREDIT CARD', 'Checking', 'Savings'): send "
            "account_name to import one of them",
            "type": "csv_several_accounts",
        }
    ]


def test_account_name_picks_rows_and_direction_words_sign_them() -> None:
    lines = lines_of(read("csv/mint_multi_account.csv", CsvOptions(account_name=" checking ")))
    assert [(line.date, line.amount, line.description, line.category) for line in lines] == [
        (day(2024, 4, 14), -250000, "Paycheck", "INCOME"),
        (day(2024, 4, 10), 50000, "Transfer to Savings", "TRANSFER_OUT"),
        (day(2024, 4, 1), 185000, "Rent", "RENT_AND_UTILITIES"),
    ]
    card = lines_of(read("csv/mint_multi_account.csv", CsvOptions(account_name="CREDIT CARD")))
    assert [(line.amount, line.category_detailed) for line in card] == [
        (1549, "ENTERTAINMENT_TV_AND_MOVIES"),  # Mint's "Movies & DVDs"
        (8720, "FOOD_AND_DRINK_GROCERIES"),
    ]


def test_unknown_account_name_is_refused() -> None:
    (error,) = refusal(fixture_bytes("csv/mint_multi_account.csv"), CsvOptions(account_name="Visa"))
    assert error["loc"] == [1, "Account Name"]
    assert (
        error["msg"]
        == "no rows of account 'Visa'; the file holds 'CREDIT CARD', 'Checking', 'Savings'"
    )


def test_ambiguous_dates_are_month_first_with_a_warning() -> None:
    parsed = read("csv/ambiguous_dates.csv")
    assert [line.date for line in lines_of(parsed)] == [
        day(2024, 1, 2),
        day(2024, 2, 3),
        day(2024, 3, 4),
    ]
    assert parsed.warnings == [
        "every date reads both as month-first and day-first: month-first (MM/DD/YYYY) was "
        "taken; send date_format to choose"
    ]
    assert {line.merchant_name for line in lines_of(parsed)} == {"Spotify"}


def test_one_day_first_date_makes_the_file_day_first() -> None:
    parsed = read("csv/day_first_slash.csv")
    assert [line.date for line in lines_of(parsed)] == [day(2024, 2, 3), day(2024, 1, 25)]
    assert parsed.warnings == []


def test_tabs_preamble_pending_title_and_id_column() -> None:
    parsed = read("csv/tab_preamble_reference.csv")
    lines = lines_of(parsed)
    assert [(line.amount, line.pending, line.source_id) for line in lines] == [
        (450, True, None),
        (12000, False, "REF0001"),
        (-120300, False, "REF0002"),
    ]
    assert lines[2].category_detailed == "INCOME_TAX_REFUND"
    assert parsed.warnings == ["line 10: id 'REF0002' appears more than once; the first is kept"]


def test_bad_rows_name_the_physical_line_and_column() -> None:
    assert refusal(fixture_bytes("fail_nice/csv_bad_rows.csv")) == [
        problem([3, "Date"], "'13/45/2024' is not a date that exists", "csv_date_invalid"),
        problem([4, "Amount"], "'12abc' is not an amount", "csv_amount_invalid"),
        problem([5, "Amount"], "'-1.005' has more than two decimals", "csv_amount_invalid"),
    ]  # fmt: skip


def test_line_numbers_count_quoted_newlines_and_blank_lines() -> None:
    data = b'Date,Description,Amount\n\n01/01/2024,"two\nlines",1\n\n01/02/2024,x,bad\n'
    (error,) = refusal(data)
    assert error["loc"] == [6, "Amount"]


def test_no_header_is_refused() -> None:
    (error,) = refusal(fixture_bytes("fail_nice/csv_no_header.csv"))
    assert error["type"] == "csv_header_missing"


class TextOptions(TypedDict, total=False):
    """The CSV options that name columns, a date format or an account."""

    date_column: str
    description_column: str
    amount_column: str
    debit_column: str
    credit_column: str
    direction_column: str
    id_column: str
    date_format: str
    account_name: str


def csv(text: str, **options: Unpack[TextOptions]) -> ParsedFile:
    return parse_csv(text.encode(), CsvOptions(**options))


def test_column_options_override_the_names() -> None:
    parsed = csv(
        "When,What,How much,Ref\n2024-01-05,Coffee,-3.50,R1\n",
        date_column="When", description_column="what", amount_column="How much", id_column="Ref",
    )  # fmt: skip
    (line,) = lines_of(parsed)
    assert (line.date, line.description, line.amount, line.source_id) == (
        day(2024, 1, 5),
        "Coffee",
        350,
        "R1",
    )


def test_debit_and_credit_options() -> None:
    text = (
        "Date,Payee,Out,In\n2024-01-05,Shop,12.00,\n2024-01-06,Refund,,3.00\n2024-01-07,Zero,0,\n"
    )
    lines = lines_of(csv(text, debit_column="Out", credit_column="In"))
    assert [line.amount for line in lines] == [1200, -300, 0]


def test_debit_and_credit_both_filled_is_refused() -> None:
    (error,) = refusal(b"Date,Description,Debit,Credit\n2024-01-05,X,1.00,2.00\n")
    assert error == {
        "loc": [2, "Debit"],
        "msg": "both Debit and Credit hold an amount",
        "type": "csv_amount_invalid",
    }


def test_direction_column_needs_every_value_to_be_a_direction_word() -> None:
    text = (
        "Date,Description,Amount,Transaction Type\n"
        "2024-01-05,A,-5.00,Sale\n2024-01-06,B,2.00,Payment\n"
    )
    assert [line.amount for line in lines_of(csv(text))] == [500, -200]  # signed amounts
    text = "Date,Description,Amount,Debit/Credit\n2024-01-05,A,5.00,DR\n2024-01-06,B,-2.00,cr\n"
    assert [line.amount for line in lines_of(csv(text))] == [500, -200]  # unsigned, by word
    text = "Date,Description,Amount,Dir\n2024-01-05,A,5.00,D\n2024-01-06,B,2.00,C\n"
    assert [line.amount for line in lines_of(csv(text, direction_column="dir"))] == [500, -200]


def test_memo_is_appended_when_it_adds_something() -> None:
    text = (
        "Date,Description,Amount,Memo\n"
        "2024-01-05,SHOP,-1,REF 9\n2024-01-06,SHOP,-1,shop\n2024-01-07,,-1,ONLY\n"
    )
    assert [line.description for line in lines_of(csv(text))] == ["SHOP REF 9", "SHOP", "ONLY"]
    assert lines_of(csv(text))[0].merchant_name == "Shop"  # from the description alone


def test_date_format_option() -> None:
    text = "Date,Description,Amount\n05/01/2024,A,-1\n"
    (line,) = lines_of(csv(text, date_format="%d/%m/%Y"))
    assert line.date == day(2024, 1, 5)
    (error,) = refusal(text.encode(), CsvOptions(date_format="%Y-%m-%d"))
    assert error["msg"] == "'05/01/2024' does not match date_format '%Y-%m-%d'"


@pytest.mark.parametrize(
    ("cell", "date"),
    [("2024-01-05", day(2024, 1, 5)), ("20240105", day(2024, 1, 5)),
     ("01/05/2024", day(2024, 1, 5)), ("1/5/24", day(2024, 1, 5)), ("05.01.2024", day(2024, 1, 5)),
     ("5.1.24", day(2024, 1, 5)), ("2024-01-05 13:45:00", day(2024, 1, 5)),
     ("01/31/2024 10:30 AM", day(2024, 1, 31)), ("12/31/99", day(1999, 12, 31))],
)  # fmt: skip
def test_date_forms(cell: str, date: datetime) -> None:
    (line,) = lines_of(csv(f"Date,Description,Amount\n{cell},A,-1\n"))
    assert line.date == date


def test_dates_that_disagree_on_their_order_are_refused() -> None:
    (error,) = refusal(b"Date,Description,Amount\n01/25/2024,A,-1\n25/01/2024,B,-1\n")
    assert error["loc"] == [3, "Date"]
    assert error["msg"] == "'25/01/2024' is not a date that exists"


def test_dash_dates_follow_the_file() -> None:
    lines = lines_of(csv("Date,Description,Amount\n25-01-2024,A,-1\n05-02-2024,B,-1\n"))
    assert [line.date for line in lines] == [day(2024, 1, 25), day(2024, 2, 5)]


def test_a_date_cell_without_digits_is_no_transaction_but_a_bad_date_is_refused() -> None:
    text = "Date,Description,Amount\nTotal,,-5\n,,\nn/a,x,1\n2024-13-01,A,-1\n"
    (error,) = refusal(text.encode())
    assert error == problem(
        [5, "Date"], "'2024-13-01' is not a date that exists", "csv_date_invalid"
    )


def test_delimiter_sniffing() -> None:
    for delimiter in (",", ";", "\t"):
        text = delimiter.join(["Date", "Description", "Amount"]) + "\n"
        text += delimiter.join(["2024-01-05", '"A, B"', "-1.00"]) + "\n"
        (line,) = lines_of(csv(text))
        assert (line.description, line.amount) == ("A, B", 100)


def test_section_titles_toggle_pending() -> None:
    text = "Date,Description,Amount\nPENDING,,\n2024-01-05,A,-1\nCleared,,\n2024-01-04,B,-1\n"
    assert [line.pending for line in lines_of(csv(text))] == [True, False]


def test_account_name_without_an_account_column_warns() -> None:
    parsed = csv("Date,Description,Amount\n2024-01-05,A,-1\n", account_name="x")
    assert parsed.warnings == ["account_name was ignored: the file has no account column"]


def test_single_account_column_needs_no_account_name() -> None:
    parsed = csv("Date,Description,Amount,Account\n2024-01-05,A,-1,Chk 1\n2024-01-06,B,-1,chk 1\n")
    assert len(lines_of(parsed)) == 2


def test_bad_options_are_refused() -> None:
    # Values the options' Literal types rule out: parse_csv still refuses them.
    (error,) = refusal(b"Date,Amount\n", CsvOptions(decimal=";"))  # type: ignore[arg-type]
    assert error["loc"] == ["decimal"]
    (error,) = refusal(b"Date,Amount\n", CsvOptions(sign="up"))  # type: ignore[arg-type]
    assert error["loc"] == ["sign"]


def test_an_oversized_cell_is_refused_naming_its_line() -> None:
    data = b'Date,Description,Amount\n2024-01-01,A,1\n2024-01-02,"' + b"x" * 200_000 + b'",1\n'
    (error,) = refusal(data)
    assert (error["loc"], error["type"]) == ([3], "csv_invalid")
