"""The merchant normalizer, made faster (the known merchants split by first
character, rewrites pre-checked, names title-cased once), names every
descriptor as the plain reading of its tables does: the one below, kept as
it was written before, over the messy generator's descriptors, the
benchmark's forms and random mixes of the tables' words."""

import random
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.imports import merchants as m
from app.services.synthetic.descriptors import (
    BANK_STYLES,
    CARD_PAYMENT_FORMS,
    FORMS,
    PAYOUT_FORMS,
    TRANSFER_FORMS,
    Context,
    descriptor,
)

_REWRITES = tuple(re.compile(pattern) for pattern, _why in m.REWRITES)
_KNOWN = re.compile(
    "|".join(f"(?P<m{index}>{aliases})" for index, (_name, aliases) in enumerate(m.KNOWN_MERCHANTS))
)


def _known(text: str) -> str | None:
    found = _KNOWN.match(text)
    if found is None or found.lastgroup is None:
        return None
    return m.KNOWN_MERCHANTS[int(found.lastgroup[1:])][0]


def plain_reading(description: str | None) -> str | None:
    """normalize_merchant as it read before it was made faster."""
    if not description:
        return None
    text = original = " ".join(description[: m.MAX_DESCRIPTOR].upper().split())
    for rewrite in _REWRITES:
        if found := rewrite.search(text):
            text = found.group(found.lastindex or 1)
    while (prefix := m._CHANNEL.match(text)) and prefix.end() < len(text):
        text = text[prefix.end() :]
    if known := _known(text):
        return known
    unprefixed = text
    while (prefix := m._PROCESSOR.match(text)) and prefix.end() < len(text):
        text = text[prefix.end() :]
    if text is not unprefixed and (known := _known(text)):
        return known
    text = m._URL_END.sub("", m._cut_noise(text))
    words = m._cut_location(text.replace("*", " ").split())
    name = " ".join(words).strip(m._EDGE_PUNCTUATION)
    if not name:
        name = original.strip(" ")
    return m._WORD.sub(m._title_word, name)[:200] or None


# The benchmark's forms (bench/statements.py).
BENCH_FORMS = (
    "NETFLIX.COM 866-579-7172 CA",
    "SQ *BLUE BOTTLE COFFEE #{n} OAKLAND CA",
    "SAFEWAY #{n} SAN JOSE CA",
    "AMZN Mktp US*{ref}",
    "SHELL OIL {n:08d} HOUSTON TX",
    "TST* LOCAL DINER {n:04d} BERKELEY CA",
    "UBER   *TRIP HELP.UBER.COM CA",
    "PURCHASE AUTHORIZED ON 03/{d:02d} TRADER JOE S #{n} SAN FRANCISCO CA",
    "SPOTIFY USA 877-778-1161",
    "CHECKCARD 03{d:02d} WALGREENS #{n} PALO ALTO CA",
    "ACME CORP PAYROLL PPD ID: {n}",
    "ZELLE PAYMENT TO JOHN SMITH {ref}",
)


def messy_descriptors() -> list[str]:
    rng = random.Random(5)
    context = Context(date(2026, 3, 12), ("OAKLAND", "CA"), "JANE DOE", "1234", ("JOHN ROE",))
    found = []
    for merchant in [*FORMS, *TRANSFER_FORMS, *PAYOUT_FORMS, "Acme Corp Payroll", "Landlord"]:
        for style in (None, *BANK_STYLES):
            for habit in range(3):
                category = "INCOME" if merchant.endswith("Payroll") else "GENERAL_MERCHANDISE"
                found.append(
                    descriptor(
                        merchant, category, False, rng, context, debit_style=style, habit=habit
                    )
                )
    for issuer in CARD_PAYMENT_FORMS:
        found += [descriptor("x", "LOAN_PAYMENTS", False, rng, context, issuer=issuer)]
    for form in BENCH_FORMS:
        for _ in range(20):
            ref = f"{rng.randrange(16**8):08X}"
            found.append(form.format(n=rng.randrange(1, 9999), d=rng.randrange(1, 28), ref=ref))
    return found


def test_the_generators_descriptors_read_as_before() -> None:
    m.normalize_merchant.cache_clear()
    descriptors = messy_descriptors()
    assert len(descriptors) > 1000
    for text in descriptors:
        assert m.normalize_merchant(text) == plain_reading(text), text
        # and every shorter start of it (other first characters, cut names)
        for end in range(1, len(text), 7):
            assert m.normalize_merchant(text[end:]) == plain_reading(text[end:]), text[end:]


# Words from the tables' aliases and prefixes, places and noise.
_WORDS = sorted(
    {word for _name, aliases in m.KNOWN_MERCHANTS for word in re.findall(r"[A-Z0-9&'.-]+", aliases)}
    | {"SQ *", "TST*", "POS", "CHECKCARD 0312", "ORIG CO NAME:", "ORIG ID", "#12", "*", "PPD ID:"}
    | {"OAKLAND CA", "NEW YORK NY", "USA", "866-579-7172", "1-800-555-1234", "03/12", "CO", "IN"}
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=4), min_size=1, max_size=8))
def test_mixes_of_the_tables_words_read_as_before(words: list[str]) -> None:
    text = " ".join(words)
    assert m.normalize_merchant(text) == plain_reading(text)
    # a name repeated after a space (the rewrite of a cut NAME and its MEMO)
    assert m.normalize_merchant(f"{text} {text} X") == plain_reading(f"{text} {text} X")
