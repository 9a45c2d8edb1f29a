"""What the OFX reader needs to know about OFX's markup: its aggregates,
where each may sit, and the leaves it reads (see sgml.Reader)."""

from app.services.imports.sgml import TOP

_ANYWHERE: frozenset[str] = frozenset()


def _in(*parents: str) -> frozenset[str]:
    return frozenset(parents)


# Bank and card statements, and the statements skipped with a warning.
STATEMENTS = {"STMTRS": "bank", "CCSTMTRS": "card"}
SKIPPED = {"INVSTMTRS": "investment", "LOANSTMTRS": "loan"}

AGGREGATES: dict[str, frozenset[str]] = {
    "OFX": TOP,
    "SIGNONMSGSRSV1": _in("OFX"),
    "SONRS": _in("SIGNONMSGSRSV1"),
    "FI": _in("SONRS"),
    "STATUS": _ANYWHERE,
    "BANKMSGSRSV1": _in("OFX"),
    "CREDITCARDMSGSRSV1": _in("OFX"),
    "INVSTMTMSGSRSV1": _in("OFX"),
    "LOANMSGSRSV1": _in("OFX"),
    "SECLISTMSGSRSV1": _in("OFX"),
    "STMTTRNRS": _in("BANKMSGSRSV1"),
    "CCSTMTTRNRS": _in("CREDITCARDMSGSRSV1"),
    "INVSTMTTRNRS": _in("INVSTMTMSGSRSV1"),
    "LOANSTMTTRNRS": _in("LOANMSGSRSV1"),
    "STMTRS": _in("STMTTRNRS"),
    "CCSTMTRS": _in("CCSTMTTRNRS"),
    "INVSTMTRS": _in("INVSTMTTRNRS"),
    "LOANSTMTRS": _in("LOANSTMTTRNRS"),
    "BANKACCTFROM": _in("STMTRS"),
    "CCACCTFROM": _in("CCSTMTRS"),
    "BANKTRANLIST": _in("STMTRS", "CCSTMTRS"),
    # Outside its BANKTRANLIST a transaction still belongs to its statement.
    "STMTTRN": _in("BANKTRANLIST", "STMTRS", "CCSTMTRS", "INVBANKTRAN"),
    "PAYEE": _in("STMTTRN"),
    "BANKACCTTO": _in("STMTTRN"),
    "CCACCTTO": _in("STMTTRN"),
    "CURRENCY": _in("STMTTRN", "STMTRS", "CCSTMTRS"),
    "ORIGCURRENCY": _in("STMTTRN", "STMTRS", "CCSTMTRS"),
    "LEDGERBAL": _in("STMTRS", "CCSTMTRS"),
    "AVAILBAL": _in("STMTRS", "CCSTMTRS"),
    "BALLIST": _in("STMTRS", "CCSTMTRS"),
    "BAL": _in("BALLIST"),
}

LEAVES = frozenset(
    {
        "TRNTYPE",
        "DTPOSTED",
        "DTUSER",
        "DTAVAIL",
        "TRNAMT",
        "FITID",
        "CORRECTFITID",
        "CORRECTACTION",
        "SRVRTID",
        "CHECKNUM",
        "REFNUM",
        "SIC",
        "PAYEEID",
        "NAME",
        "EXTDNAME",
        "MEMO",
        "INV401KSOURCE",
        "CURDEF",
        "CURSYM",
        "CURRATE",
        "BANKID",
        "BRANCHID",
        "ACCTID",
        "ACCTTYPE",
        "ACCTKEY",
        "BALAMT",
        "DTASOF",
        "DTSTART",
        "DTEND",
        "CODE",
        "SEVERITY",
        "MESSAGE",
        "DTSERVER",
        "LANGUAGE",
        "DTPROFUP",
        "DTACCTUP",
        "ORG",
        "FID",
        "TRNUID",
        "CLTCOOKIE",
        "MKTGINFO",
    }
)

# Their leaves are copied into the parent's as CHILD.LEAF: a statement reads
# BANKACCTFROM.ACCTID and LEDGERBAL.BALAMT, a transaction PAYEE.NAME.
MERGED = frozenset(
    {"BANKACCTFROM", "CCACCTFROM", "LEDGERBAL", "AVAILBAL", "CURRENCY", "PAYEE", "FI"}
)

# ACCTTYPE -> (type, subtype, the word in the account's name).
ACCOUNT_TYPES: dict[str, tuple[str, str, str]] = {
    "CHECKING": ("depository", "checking", "Checking"),
    "SAVINGS": ("depository", "savings", "Savings"),
    "MONEYMRKT": ("depository", "money_market", "Money market"),
    "CREDITLINE": ("credit", "credit_card", "Card"),
}
CARD = ("credit", "credit_card", "Card")
CARD_KIND = "CARD"
