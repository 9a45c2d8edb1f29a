"""The tolerant SGML reader OFX is read with."""

import pytest

from app.services.imports.sgml import TOP, Event, Reader, decode_entities

READER = Reader(
    {"A": TOP, "B": frozenset({"A"}), "T": frozenset({"B"}), "P": frozenset({"T"})},
    frozenset({"LEAF", "NAME", "EMPTY"}),
    frozenset({"P"}),
)


def events(text: str) -> list[Event]:
    return list(READER.events(text))


def test_leaf_values_run_to_the_next_tag_and_are_trimmed() -> None:
    assert events("<A><B><T><LEAF>  hello world \r\n<NAME>x</T></B></A>") == [
        ("open", "A", {}),
        ("open", "B", {}),
        ("open", "T", {}),
        ("close", "T", {"LEAF": "hello world", "NAME": "x"}),
        ("close", "B", {}),
        ("close", "A", {}),
    ]


def test_names_are_case_insensitive() -> None:
    assert events("<a><b><t><Leaf>v</T></B></a>")[3] == ("close", "T", {"LEAF": "v"})


def test_end_tags_are_optional_a_sibling_closes_its_twin() -> None:
    text = "<A><B><T><LEAF>1<T><LEAF>2<B><T><LEAF>3"
    found = [event for event in events(text) if event[1] == "T" and event[0] != "open"]
    assert found == [
        ("close", "T", {"LEAF": "1"}),
        ("close", "T", {"LEAF": "2"}),
        ("eof", "T", {"LEAF": "3"}),
    ]


def test_stray_end_tags_are_ignored() -> None:
    assert events("</T><A></LEAF></X><B><T><LEAF>v</NAME></T>")[3] == ("close", "T", {"LEAF": "v"})


def test_an_enclosing_end_tag_closes_what_is_inside() -> None:
    assert [event[:2] for event in events("<A><B><T><LEAF>1</A>")] == [
        ("open", "A"), ("open", "B"), ("open", "T"), ("close", "T"), ("close", "B"), ("close", "A"),
    ]  # fmt: skip


def test_open_elements_at_the_end_are_reported() -> None:
    assert [event[:2] for event in events("<A><B><T><LEAF>1")][-3:] == [
        ("eof", "T"), ("eof", "B"), ("eof", "A"),
    ]  # fmt: skip


def test_empty_elements_are_absent() -> None:
    assert events("<A><B><T><EMPTY><NAME></NAME><LEAF/></T>")[3] == ("close", "T", {})


def test_first_value_wins() -> None:
    assert events("<A><B><T><NAME>one<NAME>two</T>")[3] == ("close", "T", {"NAME": "one"})


def test_merged_child_leaves_reach_the_parent() -> None:
    closes = [event for event in events("<A><B><T><P><NAME>payee</P></T>") if event[0] != "open"]
    assert closes[0] == ("close", "P", {"NAME": "payee"})
    assert closes[1] == ("close", "T", {"P.NAME": "payee"})


def test_unknown_empty_element_closed_somewhere_is_kept_apart() -> None:
    text = "<A><B><T><LEAF>1<X.AGG><NAME>inner</X.AGG><NAME>outer</T>"
    assert events(text)[3:5] == [
        ("close", "X.AGG", {"NAME": "inner"}),
        ("close", "T", {"LEAF": "1", "NAME": "outer"}),
    ]


def test_unknown_empty_element_never_closed_is_an_empty_leaf() -> None:
    assert events("<A><B><T><LEAF>1<UNKNOWN><NAME>n</T>")[3] == (
        "close",
        "T",
        {"LEAF": "1", "NAME": "n"},
    )


def test_unknown_element_with_text_is_a_leaf() -> None:
    assert events("<A><B><T><INTU.BID>3000</T>")[3] == ("close", "T", {"INTU.BID": "3000"})


def test_a_lone_less_than_is_text() -> None:
    assert events("<A><B><T><NAME>A < B <= C</T>")[3] == ("close", "T", {"NAME": "A < B <= C"})


def test_comments_instructions_and_cdata() -> None:
    text = '<?xml version="1.0"?><A><!-- a <B> comment --><B><T><NAME><![CDATA[R&D <x>]]></T>'
    assert events(text)[3] == ("close", "T", {"NAME": "R&D <x>"})


def test_an_unterminated_tag_at_the_end_is_dropped() -> None:
    assert events("<A><B><T><LEAF>1<NA")[3] == ("eof", "T", {"LEAF": "1"})


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("&amp; &lt; &gt; &quot; &apos;", "& < > \" '"),
        ("&#233;&#xE9;&#XE9;", "ééé"),
        ("AT&T R&D &foo; &amp", "AT&T R&D &foo; &amp"),
        ("&AMP;", "&AMP;"),
        ("&#0; &#xD800; &#x110000;", "&#0; &#xD800; &#x110000;"),
    ],
)
def test_entities(raw: str, text: str) -> None:
    assert decode_entities(raw) == text
