"""Podcasting 2.0 boostagrams saved as JSON (blip-10 records), read as Helipad's CSV is."""

from __future__ import annotations

import json
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.importers import read_file
from qa_queue.importers.ours import parse_json
from tests.helpers import FIXTURES, run_cli

NOW = "2026-11-24T12:00:00Z"
BOOSTS = FIXTURES / "podcasting20_boostagrams.json"


def read(text: str):
    return parse_json(text, name="boosts.json", now=NOW)


def test_boosts_keep_sender_message_and_sats_and_streams_are_counted():
    batch = read(BOOSTS.read_text())
    runner, lena = batch.questions
    assert runner.body == "Great ep! Q: is magnesium threonate worth the price over glycinate?"
    assert (runner.listener.name, runner.listener.contact, runner.listener.credit) == (
        "satoshi_runner",
        "satoshi_runner@fountain.fm",
        "full",
    )
    # what reached the show (value_msat), as Helipad's value_sat is; its total when alone
    assert (runner.boost_sats, lena.boost_sats) == (21000, 100)
    assert runner.source.kind == "boost" and runner.source.ref.startswith("c0ffee00")
    assert lena.listener.name == "Lena 🏃‍♀️" and lena.received_at == NOW
    assert batch.rejected == []
    assert "left out 1 record without a message (streamed sats, boosts without words)" in (
        batch.notes
    )


def test_an_amount_that_is_no_number_rejects_its_boost_only():
    records = [
        {"action": "boost", "value_msat_total": "lots", "message": "Creatine?"},
        {"action": "boost", "value_msat_total": 5000, "message": "Sleep?", "sender_name": "Al"},
    ]
    batch = read(json.dumps(records))
    assert [q.body for q in batch.questions] == ["Sleep?"]
    assert batch.rejected == ["boosts.json: record 1: the amount 'lots' is not a number of sats"]


def test_the_same_file_later_is_the_same_boosts():
    first = read(BOOSTS.read_text())
    later = parse_json(BOOSTS.read_text(), name="boosts.json", now="2026-12-24T12:00:00Z")
    assert [q.import_key for q in first.questions] == [q.import_key for q in later.questions]


RECORD = st.fixed_dictionaries(
    {"action": st.sampled_from(["boost", "stream", "auto"])},
    optional={
        "value_msat_total": st.one_of(st.integers(), st.text(max_size=5), st.none()),
        "value_msat": st.one_of(
            st.integers(), st.booleans(), st.floats(allow_nan=False, allow_infinity=False)
        ),
        "message": st.one_of(st.text(max_size=20), st.none(), st.integers()),
        "sender_name": st.one_of(st.text(max_size=20), st.none(), st.lists(st.text())),
        "uuid": st.one_of(st.text(max_size=8), st.integers()),
        "episode": st.one_of(st.text(max_size=8), st.integers()),
    },
)


@settings(max_examples=150, deadline=None)
@given(st.lists(RECORD, min_size=1, max_size=4))
def test_any_boost_records_are_read_or_rejected_never_raised(records):
    batch = read(
        json.dumps([{**r, "value_msat_total": r.get("value_msat_total", 1)} for r in records])
    )
    assert len(batch.questions) + len(batch.rejected) <= len(records)


@pytest.fixture
def cli(tmp_path, capsys, private_home):
    return partial(run_cli, capsys, "--db", str(tmp_path / "q.json"), "--as", "austin")


def test_a_boostagram_file_imports_once_and_says_what_it_was(cli):
    code, out, err = cli("import", str(BOOSTS))
    assert (code, err) == (0, "")
    assert "read as Podcasting 2.0 boostagrams" in out and "added 2 (#1, #2)" in out
    code, out, _ = cli("import", str(BOOSTS))
    assert code == 0 and "added 0, skipped 2 already there" in out
    assert "21,000 sats" in cli("show", "1")[1]


def test_a_wallets_transactions_give_their_boostagrams_and_comments():
    batch = read_file(FIXTURES / "alby_transactions_export.json")
    assert [(q.listener.name, q.body, q.boost_sats, q.received_at) for q in batch.questions] == [
        ("Nakamoto Nick", "Could you cover fasting and gout?", 5000, "2026-11-28T19:22:11Z"),
        ("", "Love the show", 2100, "2026-11-29T07:00:00Z"),
    ]
    assert {q.source.ref for q in batch.questions} == {"9f8e7d", "aa11"}
