"""Podcasting 2.0 boostagrams saved as JSON: the blip-10 records a Lightning node or a boost app
keeps (`action`, `sender_name`, `message`, `value_msat`, `value_msat_total`, `episode`...),
read as Helipad's CSV export is read (form.py): the sender is the listener, the message the
question, the sats kept with it; streams and boosts without a message are left out and counted.

A record carries no time of its own (its `ts` is the place in the episode, in seconds), so a
boost is dated when it is imported, as a hand-written JSON question without a date is."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..model.question import Question, Source
from ..text import counted
from .common import ImportBatch, fingerprint, parse_date, place, title_from
from .form import WITHOUT_WORDS, LeftOut
from .form_cells import boost_sender, sats_of

ACTIONS = ("boost", "stream", "auto")  # blip-10's words for why sats were sent
_AMOUNTS = ("value_msat", "value_msat_total")  # what reached this show first, as Helipad's


def _is_record(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and item.get("action") in ACTIONS
        and any(key in item for key in _AMOUNTS)
    )


def records_in(data: Any) -> list[dict[str, Any]] | None:
    """The boostagram records in JSON as read, known by their keys; None for anything else.
    A wallet's transactions (Alby's export: each payment with its `boostagram`, or null, and
    an LNURL `comment`) give theirs, dated when the payment settled."""
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    if any(map(_is_record, items)):
        return items
    if any(isinstance(item.get("boostagram"), dict) for item in items):
        return [_from_payment(item) for item in items]
    return None


def _from_payment(payment: dict[str, Any]) -> dict[str, Any]:
    """A wallet transaction as a boostagram record: its own, or its comment as the message
    (a zap with words); `_at` when it settled, `_ref` its payment hash."""
    boostagram = payment.get("boostagram")
    record: dict[str, Any] = dict(boostagram) if isinstance(boostagram, dict) else {}
    if not record:
        record = {"action": "boost", "message": payment.get("comment") or ""}
        if isinstance(payment.get("amount"), int):
            record["value_msat_total"] = payment["amount"] * 1000
    if payment.get("type") == "outgoing":
        record["_sent"] = True
    record["_at"] = payment.get("settled_at") or payment.get("created_at")
    record["_ref"] = payment.get("payment_hash")
    return record


def _question(record: dict[str, Any], received_at: str) -> Question:
    """The question a boost asks; LeftOut for a boost without words, ValueError for an
    amount that is no number."""
    if record.get("_sent"):
        raise LeftOut("you sent")
    message = record.get("message")
    body = message.strip() if isinstance(message, str) else ""
    if not body:
        raise LeftOut(WITHOUT_WORDS)
    at = record.get("_at")
    if isinstance(at, str) and at.strip():
        received_at = parse_date(at)  # a wallet's payment: when it settled
    sender = record.get("sender_name")
    listener = boost_sender(sender.strip() if isinstance(sender, str) else "")
    amount = next((record[key] for key in _AMOUNTS if record.get(key) is not None), None)
    uuid = next((record[key] for key in ("uuid", "_ref") if isinstance(record.get(key), str)), "")
    said = (str(record.get(key, "")) for key in ("episode", "ts", "app_name", *_AMOUNTS))
    return Question(
        title=title_from(body),
        body=body,
        received_at=received_at,
        source=Source(kind="boost", ref=uuid or None),
        listener=listener,
        import_key="boost:" + fingerprint(uuid, listener.name, listener.contact, body, *said),
        boost_sats=sats_of("" if amount is None else str(amount), millisats=True),
    )


def read_boosts(records: list[dict[str, Any]], *, name: str, received_at: str) -> ImportBatch:
    """The questions in boostagram records (`records_in`), dated `received_at` (now)."""
    batch = ImportBatch(notes=["read as Podcasting 2.0 boostagrams: sender, message and sats"])
    left_out: Counter[str] = Counter()
    seen: set[str] = set()
    for number, record in enumerate(records, 1):
        try:
            question = _question(record, received_at)
        except LeftOut as why:
            left_out[str(why)] += 1
            continue
        except ValueError as error:
            batch.rejected.append(place(name, f"record {number}", str(error)))
            continue
        if question.import_key not in seen:  # the same boost saved twice is one question
            seen.add(question.import_key or "")
            batch.questions.append(question)
    for reason, count in left_out.items():
        batch.notes.append(f"left out {counted(count, 'record')} {reason}")
    return batch
