"""Content over HTTP: create, read, patch, delete, filters and keyset pages."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

URL = "/api/v1/content"


def create(client: TestClient, **fields: Any) -> dict[str, Any]:
    body = {"type": "article", "title": "Paying down a credit card", **fields}
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def listed_ids(client: TestClient, **params: Any) -> list[str]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


# --- create -----------------------------------------------------------------


def test_create_with_every_field(client: TestClient) -> None:
    body = {
        "id": "cnt-import_1",
        "type": "video",
        "title": "Why utilization matters",
        "summary": "Two minutes on credit utilization.",
        "body": "Keep it under 30%.",
        "persona_tags": ["high_utilization", "balanced"],
        "signal_tags": ["credit_utilization_high", "interest_charges"],
        "source": "llm",
    }
    response = client.post(URL, json=body)
    assert response.status_code == 201
    content = response.json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", content.pop("created_at"))
    assert content == body
    assert client.get(f"{URL}/cnt-import_1").json()["persona_tags"] == body["persona_tags"]


def test_create_without_id_generates_one_and_defaults(client: TestClient) -> None:
    content = create(client)
    assert re.fullmatch(r"cnt_[0-9a-f]{32}", content["id"])
    assert content["summary"] == ""
    assert content["body"] == ""
    assert content["persona_tags"] == []
    assert content["signal_tags"] == []
    assert content["source"] == "human"
    assert create(client)["id"] != content["id"]


def test_create_with_existing_id_is_409_and_keeps_original(client: TestClient) -> None:
    create(client, id="c1", title="Original")
    response = client.post(URL, json={"id": "c1", "type": "tool", "title": "Impostor"})
    assert response.status_code == 409
    assert "detail" in response.json()
    assert client.get(f"{URL}/c1").json()["title"] == "Original"


def test_length_limits_accept_the_maximum(client: TestClient) -> None:
    content = create(client, title="t" * 200, summary="s" * 500, body="b" * 20_000)
    assert len(content["title"]) == 200
    assert len(content["summary"]) == 500


def test_unicode_text_round_trips(client: TestClient) -> None:
    content = create(client, title="Épargne 💶 ahorro", signal_tags=["ünïcode", 'quote"d'])
    fetched = client.get(f"{URL}/{content['id']}").json()
    assert fetched["title"] == "Épargne 💶 ahorro"
    assert fetched["signal_tags"] == ["ünïcode", 'quote"d']


INVALID_CREATES: list[dict[str, Any]] = [
    {"title": "t" * 201},
    {"title": ""},
    {"title": None},
    {"title": 5},
    {"title": "nul\x00byte"},
    {"summary": "s" * 501},
    {"summary": None},
    {"body": None},
    {"body": "nul\x00"},
    {"type": "podcast"},
    {"type": "Article"},
    {"type": None},
    {"source": "robot"},
    {"persona_tags": ["big_spender"]},
    {"persona_tags": ["balanced", "nope"]},
    {"persona_tags": "balanced"},
    {"persona_tags": {"balanced": True}},
    {"persona_tags": None},
    {"persona_tags": [None]},
    {"signal_tags": "debt"},
    {"signal_tags": [1]},
    {"signal_tags": [""]},
    {"signal_tags": ["x" * 101]},
    {"signal_tags": ["ok", None]},
    {"signal_tags": [["nested"]]},
    {"signal_tags": ["nul\x00"]},
    {"signal_tags": [f"t{i}" for i in range(51)]},
    {"id": ""},
    {"id": "has space"},
    {"id": "x" * 51},
    {"id": "slash/y"},
    {"id": 7},
]


@pytest.mark.parametrize("changes", INVALID_CREATES)
def test_invalid_create_is_422_and_writes_nothing(
    client: TestClient, changes: dict[str, Any]
) -> None:
    body = {"type": "article", "title": "ok", **changes}
    response = client.post(URL, json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    assert listed_ids(client) == []


@pytest.mark.parametrize("missing", ["type", "title"])
def test_missing_required_field_is_422(client: TestClient, missing: str) -> None:
    body = {"type": "article", "title": "ok"}
    del body[missing]
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", missing]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("{oops", "json_invalid"),
        ("[]", "model_attributes_type"),
        ("null", "model_attributes_type"),
        ('"article"', "model_attributes_type"),
    ],
)
def test_malformed_or_non_object_body_is_422(client: TestClient, raw: str, kind: str) -> None:
    response = client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == kind


# --- read, patch, delete -------------------------------------------------------


@pytest.mark.parametrize("content_id", ["missing", "%00", "x" * 51, "a%20b", "%F0%9F%92%B6"])
def test_unknown_or_impossible_id_is_404(client: TestClient, content_id: str) -> None:
    assert client.get(f"{URL}/{content_id}").status_code == 404
    assert client.patch(f"{URL}/{content_id}", json={"title": "x"}).status_code == 404
    assert client.delete(f"{URL}/{content_id}").status_code == 404


def test_patch_changes_only_sent_fields(client: TestClient) -> None:
    original = create(
        client, id="c1", summary="keep me", persona_tags=["balanced"], signal_tags=["a"]
    )
    response = client.patch(
        f"{URL}/c1", json={"title": "New title", "persona_tags": ["savings_builder"]}
    )
    assert response.status_code == 200
    patched = response.json()
    assert patched == {
        **original,
        "title": "New title",
        "persona_tags": ["savings_builder"],
    }
    assert client.get(f"{URL}/c1").json() == patched


def test_patch_can_empty_tag_lists(client: TestClient) -> None:
    create(client, id="c1", persona_tags=["balanced"], signal_tags=["a"])
    patched = client.patch(f"{URL}/c1", json={"persona_tags": [], "signal_tags": []}).json()
    assert patched["persona_tags"] == [] and patched["signal_tags"] == []
    assert listed_ids(client, persona="balanced") == []


def test_empty_patch_changes_nothing(client: TestClient) -> None:
    original = create(client, id="c1")
    response = client.patch(f"{URL}/c1", json={})
    assert response.status_code == 200
    assert response.json() == original


def test_patch_ignores_id_and_created_at(client: TestClient) -> None:
    original = create(client, id="c1")
    body = {"id": "c2", "created_at": "2000-01-01T00:00:00Z", "title": "renamed"}
    response = client.patch(f"{URL}/c1", json=body)
    assert response.status_code == 200
    assert response.json() == {**original, "title": "renamed"}
    assert client.get(f"{URL}/c2").status_code == 404


INVALID_PATCHES: list[dict[str, Any]] = [
    {"title": None},
    {"title": ""},
    {"title": "t" * 201},
    {"summary": "s" * 501},
    {"type": "podcast"},
    {"type": None},
    {"source": None},
    {"persona_tags": ["nope"]},
    {"persona_tags": None},
    {"signal_tags": "debt"},
    {"signal_tags": [""]},
    {"body": "nul\x00"},
]


@pytest.mark.parametrize("changes", INVALID_PATCHES)
def test_invalid_patch_is_422_and_changes_nothing(
    client: TestClient, changes: dict[str, Any]
) -> None:
    original = create(client, id="c1", persona_tags=["balanced"])
    response = client.patch(f"{URL}/c1", json=changes)
    assert response.status_code == 422, response.text
    assert client.get(f"{URL}/c1").json() == original


def test_delete_is_204_then_404(client: TestClient) -> None:
    create(client, id="c1")
    create(client, id="c2")
    response = client.delete(f"{URL}/c1")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{URL}/c1").status_code == 404
    assert client.delete(f"{URL}/c1").status_code == 404
    assert listed_ids(client) == ["c2"]


# --- list and filters ----------------------------------------------------------


def test_list_is_newest_first(client: TestClient) -> None:
    for name in ("c1", "c2", "c3"):
        create(client, id=name)
    assert listed_ids(client) == ["c3", "c2", "c1"]
    assert client.get(URL).json()["next_cursor"] is None


def test_filters_by_type_persona_and_signal(client: TestClient) -> None:
    create(
        client, id="art", type="article", persona_tags=["high_utilization"], signal_tags=["debt"]
    )
    create(client, id="vid", type="video", persona_tags=["balanced"], signal_tags=["debt_payoff"])
    create(
        client,
        id="tool",
        type="tool",
        persona_tags=["balanced", "high_utilization"],
        signal_tags=["Debt", "savings"],
    )
    assert listed_ids(client, type="video") == ["vid"]
    assert listed_ids(client, persona="high_utilization") == ["tool", "art"]
    assert listed_ids(client, persona="savings_builder") == []
    assert listed_ids(client, signal="debt") == ["art"]
    assert listed_ids(client, signal="debt_payoff") == ["vid"]
    assert listed_ids(client, signal="Debt") == ["tool"]
    assert listed_ids(client, signal="savings") == ["tool"]
    assert listed_ids(client, persona="balanced", type="tool", signal="savings") == ["tool"]
    assert listed_ids(client, persona="balanced", signal="debt") == []


@pytest.mark.parametrize("needle", ["de", "ebt", "%", "_", "de_t", "d%", '"debt"', "debt,", "a"])
def test_signal_filter_matches_whole_elements_only(client: TestClient, needle: str) -> None:
    # Neither substrings nor LIKE wildcards nor JSON syntax may match.
    create(client, id="c1", signal_tags=["debt", 'x"debt', "a_b", "a%b"])
    assert listed_ids(client, signal=needle) == []


@pytest.mark.parametrize("tag", ['x"debt', "a_b", "a%b", "back\\slash", "ünï", "a, b"])
def test_signal_filter_finds_tags_with_special_characters(client: TestClient, tag: str) -> None:
    create(client, id="hit", signal_tags=["other", tag])
    create(client, id="miss", signal_tags=["axb", "a", "b", "debt", "x"])
    assert listed_ids(client, signal=tag) == ["hit"]


@pytest.mark.parametrize(
    "params",
    [
        {"persona": "big_spender"},
        {"persona": "Balanced"},
        {"type": "podcast"},
        {"type": "Video"},
        {"signal": "x" * 101},
        {"signal": "nul\x00"},
        {"limit": 0},
        {"limit": 501},
    ],
)
def test_bad_list_query_is_422(client: TestClient, params: dict[str, Any]) -> None:
    response = client.get(URL, params=params)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "W10",
        "WzEsMl0",
        "WyJ4IiwgIlx1MDAwMCJd",
        "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwgIlx1MDAwMCJd",  # valid time, NUL id
        "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwgIlx1ZDgwMCJd",  # lone surrogate id
    ],
)
def test_malformed_cursor_is_400(client: TestClient, cursor: str) -> None:
    create(client)
    response = client.get(URL, params={"cursor": cursor})
    assert response.status_code == 400
    assert response.json() == {"detail": "malformed cursor"}


def test_pages_never_repeat_or_skip_with_inserts_between(client: TestClient) -> None:
    existing = [create(client, id=f"c{n:02d}", signal_tags=["s"])["id"] for n in range(8)]
    seen: list[dict[str, Any]] = []
    cursor = None
    for page_number in range(20):
        params: dict[str, Any] = {"limit": 3, "signal": "s"}
        if cursor:
            params["cursor"] = cursor
        page = client.get(URL, params=params).json()
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        # Newer than every page already served: must not appear on later pages.
        create(client, id=f"new{page_number}", signal_tags=["s"])
    ids = [item["id"] for item in seen]
    assert ids == list(reversed(existing))
    assert len(listed_ids(client, limit=500)) == len(existing) + 2
