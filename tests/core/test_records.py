"""The record framing, under every damage hypothesis can think of: a scan never raises, never
calls damage a torn tail, and never calls a torn tail damage."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.store import records
from qa_queue.store.rebuild import rebuild

payloads = st.binary(min_size=0, max_size=300)


@st.composite
def journals(draw) -> tuple[bytes, list[int]]:
    """Committed transactions of 1-3 records; returns the bytes and each commit's end."""
    data, ends = b"", []
    for _ in range(draw(st.integers(1, 6))):
        size = draw(st.integers(1, 3))
        for n in range(size):
            kind = draw(st.sampled_from("QHES"))
            data += records.encode(kind, draw(payloads), commit=n == size - 1)
        ends.append(len(data))
    return data, ends


@given(journals(), st.data())
@settings(max_examples=300)
def test_a_cut_anywhere_is_a_torn_tail_never_damage(journal, data):
    whole, ends = journal
    cut = data.draw(st.integers(0, len(whole)))
    scan = records.scan(whole[:cut])
    assert scan.damage is None
    assert scan.end == max([0, *(end for end in ends if end <= cut)])
    assert scan.torn == (cut > scan.end)


@given(journals(), st.data())
@settings(max_examples=300)
def test_a_flipped_bit_is_damage_never_a_torn_tail_or_silence(journal, data):
    whole, _ends = journal
    at = data.draw(st.integers(0, len(whole) - 1))
    bit = data.draw(st.integers(0, 7))
    flipped = bytearray(whole)
    flipped[at] ^= 1 << bit
    scan = records.scan(bytes(flipped))
    assert scan.damage is not None
    assert scan.damage.offset <= at  # at the record that holds the flipped byte, or before
    assert scan.end <= at


@given(st.binary(max_size=2000))
@settings(max_examples=300)
def test_any_bytes_scan_and_rebuild_without_raising(data):
    records.scan(data)
    list(records.records_from(data))
    rebuild(__import__("pathlib").Path("j"), data, None)


@given(journals(), st.binary(min_size=1, max_size=64))
@settings(max_examples=200)
def test_bytes_that_are_not_a_record_after_the_last_commit_are_damage(journal, junk):
    whole, _ends = journal
    if records._starts_like_a_header(junk[: records.HEADER]) and len(junk) < records.HEADER:
        return  # the start of a header being written: a torn tail
    scan = records.scan(whole + junk)
    if scan.damage is None:  # junk that happens to be the start of a header of ours
        assert scan.torn and junk[:2] == records.MAGIC[: len(junk[:2])]
    else:
        assert scan.damage.offset == len(whole)


def test_a_record_whose_header_alone_was_hit_is_salvaged():
    record = records.encode("Q", orjson.dumps({"id": 3}), commit=True)
    hit = bytearray(record)
    hit[0] ^= 0xFF
    assert isinstance(records.read_one(bytes(hit), 0, 0), records.Damage)
    saved = records.salvage(bytes(hit), 0)
    assert saved is not None and saved.payload == record[16:] and saved.commit
