"""A text query finds exactly what it would in the lower-cased, single-spaced text of a
question, whichever shortcut the store takes (plain ASCII words in lower-cased bytes)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.store.documents import (
    blocks_containing,
    decode_question,
    encode_question,
    matcher,
    odd,
    searchable,
)

# text with the characters that make shortcuts wrong: KELVIN SIGN and İ (lower case ASCII),
# separators str.split() knows and bytes.split() does not, accents, newlines, tabs
ALPHABET = st.sampled_from(list("abcKLdéÉüÜ İK\u212a\u0130\x1c\x1f\n\t  .,-'")) | st.characters(
    blacklist_categories=("Cs",)
)
texts = st.text(alphabet=ALPHABET, max_size=60)


def reference(block: bytes, needle: bytes) -> bool:
    return needle in " ".join(block.decode().lower().split()).encode()


@given(texts, st.data())
@settings(max_examples=500)
def test_the_shortcuts_find_exactly_what_the_text_holds(text, data):
    block = text.encode()
    seen = " ".join(text.lower().split())
    start = data.draw(st.integers(0, len(seen)))
    needle = seen[start : start + data.draw(st.integers(1, 8))].encode() or b"x"
    needle = data.draw(st.sampled_from([needle, needle + b"q", b"k", b"i", b"a b"]))
    assert searchable(block) == " ".join(text.lower().split()).encode()
    expected = reference(block, needle)
    assert matcher(needle)(block.lower(), odd(block)) == expected
    assert blocks_containing([(1, block)], needle) == ([1] if expected else [])


@given(st.dictionaries(st.sampled_from(["austin", "jordan"]), texts), texts, texts)
@settings(max_examples=200)
def test_a_question_comes_back_from_its_record_as_it_went_in(drafts, title, body):
    doc = {
        "id": 7,
        "title": title,
        "body": body,
        "listener": {"name": title[:5], "contact": "x@example.org"},
        "tags": ["pain", "ldn"],
        "notes": body[:3],
        "answer": {"text": body, "host": "austin"} if body else None,
        "drafts": {host: {"host": host, "text": text} for host, text in drafts.items()},
        "references": [{"title": title, "url": ""}],
        "replies": [{"text": body, "author": ""}],
    }
    payload, start, length = encode_question(doc, {"_h": [None, 0, 0, 0]})
    back = decode_question(payload)
    assert back.pop("_h") == [None, 0, 0, 0]
    assert back == doc
    block = payload[start : start + length]
    for text in (title, body, *drafts.values()):
        words = " ".join(text.lower().split())
        if words:
            assert words.encode() in searchable(block)
