"""JSON and JSONL written by hand: the shapes accepted, the states refused with their reason,
the exit code when nothing could be added, and our own export imported back adding nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.importers import Known
from qa_queue.importers.ours import parse_json, parse_jsonl
from qa_queue.model.question import Status
from tests.helpers import FixedClock, run_cli

NOW = "2026-11-24T12:00:00Z"
KNOWN = Known(hosts={"austin", "jordan"}, has_question=lambda i: i in (1, 2))


def parse(*items, known=KNOWN, now=NOW):
    return parse_json(json.dumps(list(items)), name="q.json", now=now, known=known)


@pytest.mark.parametrize(
    ("listener", "name", "contact"),
    [
        ("Ravi", "Ravi", ""),
        ("ravi@example.com", "", "ravi@example.com"),
        ("Ravi Shah <ravi@example.com>", "Ravi Shah", "ravi@example.com"),
        ("  Ravi  ", "Ravi", ""),
    ],
)
def test_a_listener_written_as_a_string_is_a_name_or_a_contact(listener, name, contact):
    [question] = parse({"title": "T", "body": "B", "listener": listener}).questions
    assert (question.listener.name, question.listener.contact) == (name, contact)


def test_name_and_email_beside_the_question_are_the_listener():
    [question] = parse({"question": "Is LDN safe?", "name": "Ravi", "email": "r@x.org"}).questions
    assert (question.listener.name, question.listener.contact) == ("Ravi", "r@x.org")


@pytest.mark.parametrize("key", ["body", "question", "text", "message"])
def test_the_listeners_words_go_by_several_names_and_make_the_title(key):
    words = "Does creatine help older lifters? I am 61 and curious. Thanks!"
    [question] = parse({key: words}).questions
    assert question.body == words
    assert question.title == "Does creatine help older lifters?"


def test_body_wins_over_other_names_and_a_title_is_kept():
    [question] = parse({"title": "Mine", "body": "the body", "question": "other"}).questions
    assert (question.title, question.body) == ("Mine", "the body")


def test_no_received_at_means_now_and_the_same_file_later_is_the_same_question():
    item = {"question": "Is zone 2 special?", "listener": "Priya", "tags": "cardio, Zone 2"}
    [first] = parse(item).questions
    assert first.received_at == NOW
    assert first.tags == ["cardio", "zone-2"]
    [later] = parse(item, now="2026-12-24T12:00:00Z").questions
    assert later.import_key == first.import_key  # `now` is not part of what the file says


def test_a_hand_written_date_is_read_and_a_bad_one_rejected():
    batch = parse(
        {"question": "a?", "received_at": "2026-11-20 09:30"},
        {"question": "b?", "received_at": "last tuesdayish"},
    )
    assert [q.received_at for q in batch.questions] == ["2026-11-20T09:30:00Z"]
    assert batch.rejected == [
        "q.json: question 2: received_at: cannot understand the date 'last tuesdayish'"
    ]


def test_without_now_a_question_without_a_date_is_rejected():
    batch = parse({"question": "a?"}, now="")
    assert batch.rejected == ["q.json: question 1: no received_at"]


@pytest.mark.parametrize(
    ("item", "why"),
    [
        ({"title": " ", "listener": "R"}, "no question text (body, question, text or message)"),
        ({"body": "B", "status": "answered", "host": "austin"}, "answered needs a final answer"),
        ({"body": "B", "status": "drafting", "host": "sam"}, "host 'sam' is not one of the"),
        (
            {"body": "B", "answer": {"text": "A", "host": "sam", "answered_at": NOW}},
            "host 'sam' is not one of the show's hosts (austin, jordan)",
        ),
        ({"body": "B", "status": "duplicate", "duplicate_of": 9}, "no question 9 in the file"),
        ({"body": "B", "status": "duplicate"}, "a duplicate links its original"),
        ({"body": "B", "duplicate_of": 1}, "only a duplicate has an original"),
        ({"body": "B", "tags": 7}, "tags should be list, not int"),
    ],
)
def test_impossible_states_are_rejected_with_the_reason(item, why):
    batch = parse({"received_at": NOW, **item})
    assert batch.questions == []
    [rejected] = batch.rejected
    assert rejected.startswith("q.json: question 1: ") and why in rejected


def test_duplicate_of_names_a_question_in_the_file_by_its_id_or_one_in_the_database():
    batch = parse(
        {"id": 7, "body": "original", "title": "O"},
        {"id": 8, "body": "again", "status": "duplicate", "duplicate_of": 7},
        {"id": 9, "body": "older", "status": "duplicate", "duplicate_of": 2},
        {"id": 9, "body": "same id twice"},
    )
    original, again, older = batch.questions
    assert batch.duplicates == {again.import_key: original.import_key}
    assert again.duplicate_of is None  # linked once both are stored
    assert older.duplicate_of == 2
    assert batch.rejected == ["q.json: question 4: id 9 is used by another question in the file"]


def test_jsonl_takes_the_same_shapes():
    text = '{"question": "a?", "listener": "Ravi"}\n\n{"message": "b?", "status": "nope"}\n'
    batch = parse_jsonl(text, name="q.jsonl", now=NOW, known=KNOWN)
    assert [q.listener.name for q in batch.questions] == ["Ravi"]
    assert batch.rejected[0].startswith("q.jsonl: line 3: ")


def test_a_broken_jsonl_line_is_rejected_with_its_line_and_the_others_read():
    text = '{"body": "Ice baths?", "listener": "Lee"}\n{"body": "broken\n{"body": "Creatine?"}\n'
    batch = parse_jsonl(text, name="q.jsonl", now=NOW, known=KNOWN)
    assert [q.body for q in batch.questions] == ["Ice baths?", "Creatine?"]
    assert batch.rejected == [
        "q.jsonl: line 2, column 17: not valid JSON: it ends in the middle (cut off?)"
    ]
    # no JSON Lines at all: where it stopped and what is there, not orjson's "invalid
    # literal, expected 'true'"
    with pytest.raises(BadInput, match=r'line 1, column 1: not valid JSON at "not" \(expected a'):
        parse_jsonl("not\njson\nat all\n{}\n", name="q.jsonl", now=NOW, known=KNOWN)


def test_a_list_where_no_item_has_a_question_text_is_refused_in_one_line():
    items = [{"content": f"words {n}", "author": {"username": "u"}} for n in range(50)]
    with pytest.raises(BadInput) as refused:
        parse(*items)
    assert str(refused.value) == (
        "q.json: no item has a question text: expected questions with a body, question, "
        "text or message (README: JSON and JSONL)"
    )
    with pytest.raises(BadInput, match=r"^q\.jsonl: no line has a question text"):
        parse_jsonl('{"content": "a"}\n{"content": "b"}\n', name="q.jsonl", now=NOW)
    # one item with a text among them: the others are rejected one by one, as before
    batch = parse(*items, {"question": "Is LDN safe?"})
    assert len(batch.questions) == 1 and len(batch.rejected) == 50
    # our own export may hold questions asked in a title alone, beside an empty body
    titled = parse({"title": "Zone 2?", "body": ""}, {"title": "LDN?", "body": ""})
    assert [q.title for q in titled.questions] == ["Zone 2?", "LDN?"]


def test_a_question_asked_in_its_title_alone_is_its_text():
    [question] = parse({"title": "Best shoes for flat feet?", "listener": "Ravi"}).questions
    assert (question.title, question.body) == ("Best shoes for flat feet?",) * 2


KEYS = "title body question text message listener name email tags received_at status host id"
VALUES = st.none() | st.text(max_size=20) | st.integers() | st.lists(st.text(max_size=5))
SHAPES = st.fixed_dictionaries({}, optional=dict.fromkeys([*KEYS.split(), "duplicate_of"], VALUES))


@settings(max_examples=300, deadline=None)
@given(st.lists(SHAPES, max_size=4))
def test_hand_written_shapes_are_added_or_rejected_never_raised(items):
    try:
        batch = parse(*items)
    except BadInput as refused:  # several items and none with a text: said once
        assert len(items) > 1 and "no item has a question text" in str(refused)
        return
    repeats = sum("repeats question" in note for note in batch.notes)  # imported once
    assert len(batch.questions) + len(batch.rejected) + repeats == len(items)
    assert all("\n" not in line for line in batch.rejected)
    for question in batch.questions:
        assert question.title.strip() and isinstance(question.body, str)


# -- through the command line, with the queue's clock ------------------------------------------


@pytest.fixture
def cli(capsys, tmp_path, private_home, monkeypatch):
    import qa_queue.cli.context as context
    from qa_queue.queue import QuestionQueue

    clock = FixedClock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    monkeypatch.setattr(context, "QuestionQueue", partial(QuestionQueue, clock=clock, zone=UTC))
    db = str(tmp_path / "q.json")
    run = partial(run_cli, capsys, "--db", db, "--as", "austin")
    assert run("hosts", "add", "austin", "Austin")[0] == 0
    return run


def test_a_file_of_hand_written_questions_imports_with_the_queues_clock(cli, tmp_path):
    path = tmp_path / "ravi.json"
    path.write_text(json.dumps([{"title": "LDN?", "question": "Is LDN ok?", "listener": "Ravi"}]))
    code, out, err = cli("import", str(path))
    assert (code, err) == (0, "")
    assert "added 1 (#1)" in out
    code, out, _ = cli("show", "1")
    assert "2026-11-24" in out and "Ravi" in out


def test_a_file_whose_every_question_is_rejected_exits_2(cli, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"listener": "T"}, {"body": "B", "status": "answered"}]))
    code, out, err = cli("import", str(path))
    assert code == BadInput.exit_code == 2
    assert "added 0" in out and "rejected 2" in out
    assert err.count("rejected: ") == 2
    assert (
        err.splitlines()[-1]
        == f"qa-queue: {path}: nothing imported: every question in it was rejected"
    )


def test_a_file_of_questions_already_there_exits_0(cli, tmp_path):
    path = tmp_path / "once.jsonl"
    path.write_text('{"question": "a?"}\n')
    assert cli("import", str(path))[0] == 0
    code, out, _ = cli("import", str(path))
    assert code == 0 and "added 0, skipped 1 already there" in out


def test_our_own_private_export_imported_back_adds_nothing(cli, tmp_path):
    cli("hosts", "add", "jordan", "Jordan")
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps([{"question": f"Question {n}?", "listener": f"L{n}"} for n in range(4)])
    )
    assert cli("import", str(path))[0] == 0
    cli("update", "2", "--take", "--status", "drafting")
    cli("answer", "2", "The answer.")
    cli("update", "2", "--status", "ready")
    cli("update", "2", "--status", "answered")
    cli("update", "3", "--duplicate-of", "2")
    code, _, err = cli(
        "export", "--format", "json", "--include-private", "-o", str(tmp_path / "out.json")
    )
    assert code == 0, err
    exported = json.loads((tmp_path / "out.json").read_text())
    assert [q["status"] for q in exported["questions"]] == [Status.ANSWERED]
    code, out, err = cli("import", str(tmp_path / "out.json"))
    assert (code, err) == (0, "")
    assert "added 0, skipped 1 already there, rejected 0" in out
    code, out, _ = cli("list", "-q", "status:new,answered,duplicate")
    assert code == 0 and len(out.strip().splitlines()) <= 5


def test_our_public_export_imported_back_adds_nothing(cli, tmp_path):
    """The public export has no import keys: the question is known by its id, words and time."""
    cli("hosts", "add", "jordan", "Jordan")
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"question": "Shoes for flat feet?", "listener": "Ravi"}]))
    assert cli("import", str(path))[0] == 0
    cli("update", "1", "--take", "--status", "drafting")
    cli("answer", "1", "The answer.")
    cli("update", "1", "--status", "ready")
    cli("update", "1", "--status", "answered")
    out_path = tmp_path / "public.json"
    assert cli("export", "--format", "json", "-o", str(out_path))[0] == 0
    assert "import_key" not in out_path.read_text()
    code, out, err = cli("import", str(out_path))
    assert (code, err) == (0, "")
    assert "added 0, skipped 1 already there, rejected 0" in out


def test_our_export_goes_into_another_database_once(cli, tmp_path, capsys):
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"question": "Is LDN safe?", "listener": "Ravi"}]))
    cli("import", str(path))
    cli("update", "1", "--take", "--status", "drafting")
    cli("answer", "1", "Mostly.")
    cli("update", "1", "--status", "ready")
    cli("update", "1", "--status", "answered")
    out_file = tmp_path / "out.json"
    cli("export", "--format", "json", "--include-private", "-o", str(out_file))
    other = partial(run_cli, capsys, "--db", str(tmp_path / "other.json"), "--as", "austin")
    code, _, err = other("import", str(out_file))
    assert code == 2 and "host 'austin' is not one of the show's hosts" in err
    other("hosts", "add", "austin", "Austin")
    code, out, _ = other("import", str(out_file))
    assert code == 0 and "added 1 (#1)" in out
    code, out, _ = other("import", str(out_file))
    assert code == 0 and "added 0, skipped 1" in out


def test_a_duplicate_whose_original_was_rejected_is_rejected_too():
    batch = parse(
        {"id": 1, "body": "original", "status": "drafting", "host": "sam"},
        {"id": 2, "body": "again", "status": "duplicate", "duplicate_of": 1},
    )
    assert batch.questions == [] and batch.duplicates == {}
    assert batch.rejected[1] == "q.json: question 2: the question it duplicates was rejected"


def test_a_map_for_a_file_that_is_no_table_is_said_to_be_unused(cli, tmp_path):
    path = tmp_path / "asked.json"
    path.write_text(json.dumps([{"title": "Shoes for flat feet?"}]))
    code, out, _ = cli("import", "--map", "body=Question", str(path))
    assert code == 0 and "--map names a CSV or TSV file's columns: not used" in out
    assert "added 1" in out


def test_hand_written_keys_in_capitals_or_other_words_and_times_in_the_hosts_zone():
    from zoneinfo import ZoneInfo

    from tests.helpers import FIXTURES

    text = (FIXTURES / "handwritten_list.json").read_text(encoding="utf-8")
    batch = parse_json(text, name="h.json", now=NOW, known=KNOWN, zone=ZoneInfo("America/Chicago"))
    assert batch.rejected == []
    by_name = {q.listener.name: q for q in batch.questions}
    # as a CSV's are: a time without a zone is the host's (Chicago, -6 h), one with a zone is
    assert by_name["Ravi Shah"].received_at == "2026-11-27T00:01:00Z"
    assert by_name["Ana Lima"].received_at == "2026-11-26T17:01:00Z"
    assert "times without a zone read in your time zone (America/Chicago)" in batch.notes
    # "Question", "Name", "Email": the same as in lower case
    cleo = by_name["Cleo"]
    assert cleo.body.startswith("Capitalised key") and cleo.listener.contact == "cleo@example.com"
    assert by_name["Dee"].received_at == "2026-11-20T15:30:00Z"  # its time in a "date" key
    # imported again: the same questions (keys from what the file says, not from now)
    again = parse_json(text, name="h.json", now="2027-01-01T00:00:00Z", zone=ZoneInfo("UTC"))
    assert [q.import_key for q in again.questions] == [q.import_key for q in batch.questions]


def test_a_utf16_file_from_powershell_is_read():
    from qa_queue.importers import read_file
    from tests.helpers import FIXTURES

    batch = read_file(FIXTURES / "powershell_utf16.json")  # Out-File: UTF-16 LE with a BOM
    assert len(batch.questions) == 2 and batch.rejected == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('{"name": "Kai", "question": "Should I eat before a morning swim?"}', ("Kai", "")),
        ('{"Text": "Is sauna good for recovery?", "Name": "Lu"}', ("Lu", "")),
        (
            '[{"listener": {"Name": "Ivy", "email": "ivy@example.com"}, "question": "ApoB?"}]',
            ("Ivy", "ivy@example.com"),
        ),
    ],
)
def test_hand_written_shapes_one_object_and_listener_objects_in_any_case(written, expected):
    batch = parse_json(written, name="q.json", now="2026-11-30T10:00:00Z")
    assert batch.rejected == []
    assert [(q.listener.name, q.listener.contact) for q in batch.questions] == [expected]


def test_epoch_numbers_and_a_zone_that_names_several_are_read_or_explained():
    text = (
        '[{"question": "Epoch seconds?", "timestamp": 1795712460},'
        ' {"question": "Milliseconds?", "timestamp": 1795712460000},'
        ' {"question": "Central?", "date": "2026-11-26 18:01 CST"}]'
    )
    batch = parse_json(text, name="q.json", now="2026-11-30T10:00:00Z")
    assert [q.received_at for q in batch.questions] == ["2026-11-26T17:01:00Z"] * 2
    assert batch.rejected == [
        "q.json: question 3: received_at: the time zone CST in '2026-11-26 18:01 CST' names "
        "several (write the offset, e.g. GMT-6, or a place, e.g. America/Chicago)"
    ]


def test_a_question_the_file_repeats_is_imported_once_and_said_so():
    batch = parse({"question": "Sauna after lifting?"}, {"question": "Sauna after lifting?"})
    assert len(batch.questions) == 1
    assert "question 2 repeats question 1 (the same words): imported once" in batch.notes


def test_a_listener_given_as_a_phone_number_is_their_contact():
    [question] = parse({"question": "Sauna?", "listener": "+1 (415) 555-0134"}).questions
    assert (question.listener.name, question.listener.contact) == ("", "+1 (415) 555-0134")
