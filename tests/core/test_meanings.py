"""Look-alikes by meaning: the model as sentence-transformers runs it, the meanings file beside
the database (derived: any damage only means reading again, and nothing else is touched), an
import that reads them, one that leaves them to `qa-queue lookalikes`, and forgetting."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from qa_queue import look_alikes, meaning, meanings
from qa_queue.meanings import Meanings, meanings_path
from qa_queue.model.question import Listener, Question
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store
from tests.helpers import run_cli

pytestmark = pytest.mark.meanings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ASKED = "Is coffee bad for my blood pressure?"
REWORDED = "Does caffeine raise hypertension risk?"  # no telling word in common


def _question(title: str, key: str, body: str = "", day: int = 1) -> Question:
    return Question(
        title=title,
        body=body or title,
        received_at=f"2026-11-{day:02d}T10:00:00Z",
        import_key=key,
        listener=Listener(name="Sam"),
    )


def _files(folder: Path) -> dict[str, str]:
    """Every file's hash but the meanings file's."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith(".meanings")
    }


def test_the_vectors_are_the_models_as_sentence_transformers_gives_them():
    reference = json.loads((FIXTURES / "minilm_reference.json").read_text())
    vectors = meaning.encoder().encode([entry["text"] for entry in reference])
    for entry, vector in zip(reference, vectors, strict=True):
        assert float(vector @ vector) == pytest.approx(1.0, abs=1e-5)
        assert sum(a * b for a, b in zip(entry["vector"], vector, strict=True)) > 0.9999


def test_an_import_finds_a_rewording_that_shares_no_word(tmp_path):
    queue = QuestionQueue(Store(tmp_path / "q.json"), me="austin")
    queue.import_questions([_question(ASKED, "a"), _question("How do I pick a broker?", "b")])
    result = queue.import_questions([_question(REWORDED, "c", day=2)])
    assert [s["id"] for s in queue.get(result.added[0]).similar_to] == [1]
    assert result.alike == result.added and result.meanings_unread == 0
    assert meanings_path(tmp_path / "q.json").exists()


def test_words_only_without_the_model_or_when_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_QUEUE_MEANINGS", "off")
    queue = QuestionQueue(Store(tmp_path / "q.json"), me="austin")
    queue.import_questions([_question(ASKED, "a")])
    result = queue.import_questions([_question(REWORDED, "c", day=2)])
    assert queue.get(result.added[0]).similar_to == []
    assert not meanings_path(tmp_path / "q.json").exists()


def test_files_that_are_not_the_published_model_are_refused(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    for name in meaning.MODEL_FILES:
        (folder / name).write_bytes(b"not the model")
    with pytest.raises(meaning.NoModel, match="not the published"):
        meaning.Encoder(folder)


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
        lambda p: p.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8),
        lambda p: p.write_bytes(p.read_bytes()[:30] + bytes(range(256)) * 8),
        lambda p: p.write_bytes(b"\x00" * 4096),
        lambda p: p.write_text("{}"),
    ],
    ids=["empty", "cut", "garbage zip", "garbage records", "zeros", "other file"],
)
def test_a_damaged_meanings_file_is_read_again_and_nothing_else_changes(tmp_path, damage):
    path = tmp_path / "q.json"
    queue = QuestionQueue(Store(path), me="austin")
    queue.import_questions([_question(ASKED, "a")])
    (tmp_path / "notes.txt").write_text("the host's own file")
    damage(meanings_path(path))
    before = _files(tmp_path)
    queue = QuestionQueue(Store(path), me="austin")
    assert queue.meanings_unread() == 1
    assert queue.read_meanings() == 1
    assert _files(tmp_path) == before  # the database and the host's file: untouched
    result = queue.import_questions([_question(REWORDED, "c", day=2)])
    assert [s["id"] for s in queue.get(result.added[0]).similar_to] == [1]
    assert len(Meanings(meanings_path(path))) == 2


def test_a_file_of_another_model_or_with_bad_numbers_is_read_again(tmp_path):
    path = tmp_path / "q.json.meanings"
    kept = Meanings(path)
    kept.put([(1, "one"), (2, "two")], [[0.1] * 384, [0.2] * 384])
    kept.save()
    data = path.read_bytes()
    assert len(Meanings(path)) == 2
    path.write_bytes(data.replace(meanings.MODEL.encode(), b"0" * len(meanings.MODEL)))
    assert len(Meanings(path)) == 0  # another model's
    nan = b"\x00\x7e"  # float16 NaN
    path.write_bytes(data[:-2] + nan)
    assert len(Meanings(path)) == 0
    path.write_bytes(data[:-100])  # a crash while appending: the whole records stay
    cut = Meanings(path)
    assert len(cut) == 1
    cut.put([(3, "three")], [[0.3] * 384])
    cut.save()  # written whole: appending after a cut record would misalign the rest
    assert sorted(Meanings(path)._row) == [1, 3]


def test_meanings_read_later_are_appended_and_a_later_record_wins(tmp_path):
    path = tmp_path / "q.json.meanings"
    first = Meanings(path)
    first.put([(1, "one"), (2, "two")], [[0.1] * 384, [0.2] * 384])
    first.save()
    size = path.stat().st_size
    again = Meanings(path)
    again.put([(2, "two, reworded")], [[0.5] * 384])
    again.save()
    assert path.stat().st_size == size + (size - len(meanings.HEADER)) // 2  # one record
    read = Meanings(path)
    assert len(read) == 2 and float(read.vector(2)[0]) == pytest.approx(0.5, abs=1e-3)
    assert read.unread([(2, "two, reworded"), (1, "one, edited")]) == [(1, "one, edited")]


def test_an_import_that_fails_keeps_no_meaning_under_an_id_never_given(tmp_path, monkeypatch):
    path = tmp_path / "q.json"
    queue = QuestionQueue(Store(path), me="austin")
    queue.import_questions([_question(ASKED, "a")])
    real = look_alikes.MeaningCheck.stored

    def fail_after_storing(self, question, question_id):
        real(self, question, question_id)
        raise OSError("disk full")

    monkeypatch.setattr(look_alikes.MeaningCheck, "stored", fail_after_storing)
    with pytest.raises(OSError):
        queue.import_questions([_question("How do I pick a broker?", "b", day=2)])
    monkeypatch.undo()
    assert len(Meanings(meanings_path(path))) == 1
    queue.import_questions([_question(REWORDED, "c", day=3)])
    assert len(Meanings(meanings_path(path))) == 2


def test_a_large_import_leaves_meanings_to_lookalikes_which_notes_them(
    tmp_path, monkeypatch, capsys, private_home
):
    monkeypatch.setattr(meanings, "INLINE", 2)
    monkeypatch.setattr(look_alikes, "INLINE", 2)
    db = tmp_path / "q.json"
    queue = QuestionQueue(Store(db), me="austin")
    queue.import_questions([_question(ASKED, "a")])
    many = [_question(f"Which {w} should I buy?", w, day=2) for w in ("rack", "barbell")]
    result = queue.import_questions([*many, _question(REWORDED, "c", day=3)])
    assert result.meanings_unread == 3  # the import's new ones
    assert queue.get(4).similar_to == []
    code, out, err = run_cli(capsys, "--db", str(db), "--as", "austin", "lookalikes")
    assert (code, err) == (0, "")
    assert "read 3 questions' meanings" in out
    assert "1 found look-alikes by meaning" in out and "#4 looks like #1" in out
    history = QuestionQueue(Store(db), me="austin").get(4).history
    assert history[-1].changes["similar_to"][1][0]["id"] == 1
    _, again, _ = run_cli(capsys, "--db", str(db), "--as", "austin", "lookalikes")
    assert "read" not in again.splitlines()[0] and "0 found" in again


def test_forgetting_a_listener_deletes_the_meanings_file(tmp_path):
    path = tmp_path / "q.json"
    queue = QuestionQueue(Store(path), me="austin")
    queue.import_questions([_question(ASKED, "a")])
    assert meanings_path(path).exists()
    queue.forget(queue.find_listener("Sam"), words=True)
    assert not meanings_path(path).exists()


def test_the_duplicate_picker_offers_look_alikes_by_meaning_once_read(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_QUEUE_MEANINGS", "off")
    path = tmp_path / "q.json"
    queue = QuestionQueue(Store(path), me="austin")
    queue.import_questions([_question(ASKED, "a"), _question(REWORDED, "c", day=2)])
    assert queue.similar(2) == []
    monkeypatch.delenv("QA_QUEUE_MEANINGS")
    queue = QuestionQueue(Store(path), me="austin")
    assert queue.similar(2) == []  # not read yet: a key press does not wait for the model
    assert queue.read_meanings() == 2
    assert [i for i, _ in queue.similar(2)] == [1]


def test_a_question_typed_in_the_app_waits_for_no_model(tmp_path, monkeypatch):
    path = tmp_path / "q.json"
    queue = QuestionQueue(Store(path), me="austin")
    queue.import_questions([_question(ASKED, "a")])
    monkeypatch.setattr(look_alikes, "loaded", lambda: False)
    assert queue.add(_question(REWORDED, "c", day=2), quick=True).similar_to == []
    assert queue.meanings_unread() == 1  # `lookalikes` reads it
    monkeypatch.setattr(look_alikes, "loaded", lambda: True)
    second = queue.add(_question(REWORDED + " Really?", "d", day=3), quick=True)
    assert 1 not in [s["id"] for s in second.similar_to]  # #2 is unread: nothing read now
    assert queue.read_meanings() == 2
    third = queue.add(_question("Can coffee push my blood pressure up?", "e", day=4), quick=True)
    assert 1 in [s["id"] for s in third.similar_to]


def test_lookalikes_says_when_meanings_are_off_or_cannot_be_kept(
    tmp_path, monkeypatch, capsys, private_home
):
    db = tmp_path / "q.json"
    QuestionQueue(Store(db), me="austin").import_questions([_question(ASKED, "a")])
    meanings_path(db).unlink()
    meanings_path(db).mkdir()  # cannot be written
    code, out, err = run_cli(capsys, "--db", str(db), "--as", "austin", "lookalikes")
    assert code == 0 and "read 1 questions' meanings" in out
    assert "cannot write" in err and "read again each time" in err
    monkeypatch.setenv("QA_QUEUE_MEANINGS", "off")
    code, _, err = run_cli(capsys, "--db", str(db), "--as", "austin", "lookalikes")
    assert code == 1 and "turned off (QA_QUEUE_MEANINGS=off)" in err


def test_look_alikes_noted_after_an_import_with_no_host_named_are_the_imports(
    tmp_path, monkeypatch
):
    path = tmp_path / "q.json"
    monkeypatch.setenv("QA_QUEUE_MEANINGS", "off")
    anonymous = QuestionQueue(Store(path), me=None)
    anonymous.import_questions([_question(ASKED, "a"), _question(REWORDED, "c", day=2)])
    assert anonymous.get(2).similar_to == []
    monkeypatch.delenv("QA_QUEUE_MEANINGS")
    anonymous = QuestionQueue(Store(path), me=None)  # the app's reader, no host named yet
    assert anonymous.read_meanings() == 2
    assert anonymous.look_again([2]) == [2]
    question = anonymous.get(2)
    assert [s["id"] for s in question.similar_to] == [1]
    assert question.history[-1].host == "import"
