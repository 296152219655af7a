"""Exporters: show notes content, escaping, privacy, chapters, CSV safety and JSON round trips."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.exporters import FORMATS, ShowNotes, export, reference_url
from qa_queue.exporters.markdown import escape_block, escape_inline
from qa_queue.importers.ours import parse_json
from qa_queue.model import workflow
from qa_queue.model.dates import to_iso
from qa_queue.model.question import (
    SOURCE_KINDS,
    Answer,
    Credit,
    Draft,
    Episode,
    HistoryEntry,
    Listener,
    Question,
    Reference,
    Reply,
    Source,
    Status,
)
from tests.helpers import answered

SECRET = "ZQ-PRIVATE-7f3a"
FUZZ = settings(max_examples=100, deadline=None)


@pytest.fixture
def notes() -> ShowNotes:
    questions = [
        answered(
            3,
            "Breath holding and blood pressure",
            "00:41:05",
            listener=Listener("Ana María Pérez", f"ana@{SECRET}.example", Credit.FULL),
            references=[Reference("Valsalva during lifting", "10.5555/vals.2019.01")],
        ),
        answered(
            5,
            "Bracing with a hernia",
            "00:11:45",
            listener=Listener("Bob Stone", "bob@example.com", Credit.FIRST),
            references=[
                Reference("Hernia and lifting", "PMID: 31234567"),
                Reference("A page", "https://example.org/page"),
            ],
        ),
        answered(
            8,
            "Not on air yet",
            None,
            listener=Listener("Cy Anon", "cy@example.com", Credit.ANONYMOUS),
        ),
    ]
    for question in questions:
        question.notes = f"internal {SECRET} note"
        question.decline_reason = f"reason {SECRET}"
        question.drafts = {"austin": Draft("austin", f"draft {SECRET}", "2026-11-19T10:00:00Z")}
        question.history = [HistoryEntry("2026-11-19T10:00:00Z", "austin", "note", note=SECRET)]
        question.import_key = f"email:<{SECRET}@mail.example>"
        question.source = Source("email", f"<{SECRET}@mail.example>")
    episode = Episode(212, "Lifting Under Pressure", "2026-11-24", [3, 5, 8])
    return ShowNotes(
        podcast="Barbell Medicine Q&A",
        questions=questions,
        episode=episode,
        hosts={"austin": "Austin", "jordan": "Jordan"},
    )


# -- markdown and html ------------------------------------------------------------------------


def test_markdown_show_notes_in_air_order_with_credits_answers_and_links(notes):
    text = export("markdown", notes)
    assert text.startswith(
        "# Barbell Medicine Q&A — Episode 212: Lifting Under Pressure\n\nAir date: 2026-11-24\n"
    )
    positions = [text.index(s) for s in ("] Bracing", "] Breath", "## Not on air yet")]
    assert positions == sorted(positions)
    assert "## [00:11:45] Bracing with a hernia" in text
    assert "Asked by Bob\n" in text  # first name only
    assert "Asked by Ana María Pérez\n" in text
    assert "Asked by a listener\n" in text and "Cy" not in text
    assert "Answered by Austin" in text
    assert "First paragraph of answer 5." in text and "Second paragraph" not in text
    assert "[Valsalva during lifting](https://doi.org/10.5555/vals.2019.01)" in text
    assert "[Hernia and lifting](https://pubmed.ncbi.nlm.nih.gov/31234567/)" in text
    assert "[A page](https://example.org/page)" in text


def test_full_answers_option_and_answered_questions_heading(notes):
    notes.full_answers = True
    assert "Second paragraph 5." in export("markdown", notes)
    notes.episode = None
    text = export("md", notes)
    assert text.startswith("# Barbell Medicine Q&A — answered questions\n")
    assert "## [Episode 212, 00:41:05] Breath holding" in text


def test_listener_markup_stays_literal_in_markdown_and_html(notes):
    question = notes.questions[0]
    question.title = "<script>alert('x')</script> [bold] **loud** # not a heading"
    question.listener = Listener("[bold](javascript:alert(1)) <b>Eve</b>", credit=Credit.FULL)
    question.answer.text = "# Title?\n- a list?\n1. or this\n> quote <img src=x onerror=y>"
    text = export("markdown", notes)
    assert "\\<script\\>alert('x')\\</script\\> \\[bold\\] \\*\\*loud\\*\\* \\# not" in text
    assert "Asked by \\[bold\\](javascript:alert(1)) \\<b\\>Eve\\</b\\>" in text
    page = export("html", notes)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert('x')&lt;/script&gt; [bold] **loud** # not a heading" in page
    assert 'href="javascript' not in page
    assert "<strong>" not in page and "<blockquote>" not in page and "<ol>" not in page
    assert "# Title?<br />\n- a list?<br />\n1. or this" in page


def test_html_page_is_standalone_with_escaped_title_and_inline_css(notes):
    notes.podcast = "Q&A <Live>"
    page = export("html", notes)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Q&amp;A &lt;Live&gt; — Episode 212: Lifting Under Pressure</title>" in page
    assert "<style>" in page and page.rstrip().endswith("</html>")
    assert '<a href="https://doi.org/10.5555/vals.2019.01">' in page


class _HeadingText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.texts = False, []

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "h2"
        if self.inside:
            self.texts.append("")

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.texts[-1] += data


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])))
def test_any_title_comes_out_of_html_as_the_same_text(title):
    question = answered(1, title, "00:00:05")
    page = export("html", ShowNotes("P", [question], Episode(1)))
    parser = _HeadingText()
    parser.feed(page)
    assert parser.texts == [("[00:00:05] " + " ".join(title.split())).strip()]


def test_escape_helpers_keep_text_readable():
    assert escape_inline("Q&A: 5 < 6 & 7 > 3, it's_fine") == "Q&A: 5 \\< 6 & 7 \\> 3, it's\\_fine"
    assert escape_inline("&amp; stays") == "\\&amp; stays"
    assert escape_block("- one\n- two\n\n10. ten") == "\\- one\\\n\\- two\n\n10\\. ten"


def test_reference_urls_are_normalised():
    assert reference_url("doi:10.1000/xyz(12)") == "https://doi.org/10.1000/xyz(12)"
    assert reference_url("https://dx.doi.org/10.1000/a") == "https://doi.org/10.1000/a"
    assert reference_url("12345") == "https://pubmed.ncbi.nlm.nih.gov/12345/"
    assert reference_url("javascript:alert(1)") is None
    assert reference_url("ftp://x") is None


# -- privacy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_export_contains_contact_notes_drafts_or_history(notes, fmt):
    assert SECRET not in export(fmt, notes)


def test_public_exports_name_listeners_only_as_credited(notes):
    notes.questions[1].replies = [Reply("thanks!", "Bob Stone"), Reply("Hi", "Austin", True)]
    data = json.loads(export("json", notes))
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id[5]["listener"] == {"name": "Bob", "credit": "first"}
    assert [r["author"] for r in by_id[5]["replies"]] == ["Bob", "Austin"]
    assert by_id[8]["listener"] == {"name": "", "credit": "anonymous"}
    rows = list(csv.DictReader(io.StringIO(export("csv", notes).lstrip("\ufeff"))))
    assert [row["listener"] for row in rows] == ["Bob", "Ana María Pérez", "a listener"]


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "csv"])
def test_include_private_adds_contact_and_notes(notes, fmt):
    notes.include_private = True
    text = export(fmt, notes)
    assert f"ana@{SECRET}.example" in text
    assert f"internal {SECRET} note" in text


# -- json -------------------------------------------------------------------------------------


def test_json_export_shape(notes):
    data = json.loads(export("json", notes))
    assert data["podcast"] == "Barbell Medicine Q&A"
    assert data["episode"]["number"] == 212
    assert [q["id"] for q in data["questions"]] == [5, 3, 8]
    assert "notes" not in data["questions"][0] and "history" not in data["questions"][0]
    assert data["questions"][0]["answer"]["text"].startswith("First paragraph of answer 5.")


texts = st.text(max_size=20)
isos = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(to_iso)
questions = st.builds(
    Question,
    title=st.text(min_size=1, max_size=40).filter(str.strip),
    body=st.text(max_size=200),
    received_at=isos,
    id=st.integers(0, 10**6),
    source=st.builds(Source, kind=st.sampled_from(SOURCE_KINDS), ref=st.none() | texts),
    listener=st.builds(Listener, name=texts, contact=texts, credit=st.sampled_from(Credit)),
    status=st.sampled_from(Status),
    host=st.none() | texts,
    priority=st.integers(0, 3),
    tags=st.lists(texts, max_size=3),
    drafts=st.dictionaries(
        st.sampled_from(["austin", "jordan"]),
        st.builds(Draft, host=st.just("austin"), text=texts, updated_at=isos),
        max_size=2,
    ),
    answer=st.none() | st.builds(Answer, text=texts, host=texts, answered_at=isos),
    references=st.lists(st.builds(Reference, title=texts, url=texts), max_size=2),
    replies=st.lists(st.builds(Reply, text=texts, author=texts, is_host=st.booleans()), max_size=2),
    episode=st.none() | st.integers(1, 999),
    timestamp=st.none() | st.sampled_from(["00:41:05", "01:02:03"]),
    answered_on=st.none() | st.sampled_from(["air", "forum"]),
    notes=texts,
    decline_reason=st.none() | texts,
    duplicate_of=st.none() | st.integers(1, 100),
    asked_count=st.integers(1, 9),
    snoozed_until=st.none() | isos,
    history=st.lists(
        st.builds(
            HistoryEntry,
            at=isos,
            host=texts,
            action=texts,
            changes=st.dictionaries(texts, st.lists(st.none() | texts, min_size=2, max_size=2)),
            note=texts,
            undone=st.booleans(),
        ),
        max_size=2,
    ),
    revision=st.integers(0, 50),
    import_key=st.text(min_size=1, max_size=20),
)


@FUZZ
@given(st.lists(questions, max_size=4, unique_by=lambda q: q.id))  # an export's ids differ
def test_json_export_then_import_round_trips_the_questions_it_holds(generated):
    """JSON escapes control characters instead of dropping them: a backup comes back exact."""
    notes = ShowNotes("P", generated, include_private=True, include_ready=True)
    batch = parse_json(export("json", notes), name="export.json")
    held = [q for q in generated if q.status in (Status.ANSWERED, Status.READY)]
    # a question in a state the workflow forbids (ready without a host…) is refused, by row
    possible = [q for q in held if not workflow.broken(q)]
    assert len(batch.rejected) == len(held) - len(possible)
    assert sorted(batch.questions, key=repr) == sorted(possible, key=repr)


@FUZZ
@given(st.lists(questions, min_size=1, max_size=3), st.sampled_from(FORMATS))
def test_no_format_leaks_private_fields_of_any_question(generated, fmt):
    for question in generated:
        question.listener.contact = SECRET
        question.notes = SECRET
        question.decline_reason = SECRET
    assert SECRET not in export(fmt, ShowNotes("P", generated, Episode(1)))


# -- csv --------------------------------------------------------------------------------------


def test_csv_has_bom_header_and_injection_safe_cells(notes):
    notes.questions[1].title = '=HYPERLINK("http://evil.example","x")'
    notes.questions[1].tags = ["pain", "-bp"]
    text = export("csv", notes)
    assert text.startswith("\ufeffid,episode,timestamp,title,listener,status,host,tags,")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[0]["tags"] == "pain; -bp"
    assert rows[0]["host"] == "Austin"
    assert rows[0]["references"] == (
        "Hernia and lifting <https://pubmed.ncbi.nlm.nih.gov/31234567/>; "
        "A page <https://example.org/page>"
    )
    assert rows[1]["answer"].endswith("Second paragraph 3.")  # csv keeps the whole answer


# -- chapters ---------------------------------------------------------------------------------


def test_chapters_are_podcasting_2_json_in_ascending_start_time(notes):
    data = json.loads(export("chapters", notes))
    assert data["version"] == "1.2.0"
    assert (data["title"], data["podcastName"]) == ("Lifting Under Pressure", notes.podcast)
    starts = [chapter["startTime"] for chapter in data["chapters"]]
    assert starts == [705.0, 2465.0]
    assert all(isinstance(start, float) for start in starts)
    first, second = data["chapters"]
    assert first == {
        "startTime": 705.0,
        "title": "Bracing with a hernia",
        "url": "https://pubmed.ncbi.nlm.nih.gov/31234567/",
    }
    assert second["url"] == "https://doi.org/10.5555/vals.2019.01"


def test_chapters_need_an_episode_and_valid_timestamps(notes):
    notes.questions[0].timestamp = "41 minutes in"
    with pytest.raises(BadInput, match="question #3: cannot understand the timestamp"):
        export("chapters", notes)
    notes.episode = None
    with pytest.raises(BadInput, match="chapters belong to one episode"):
        export("chapters", notes)


def test_unknown_format_is_refused(notes):
    with pytest.raises(BadInput, match="unknown export format 'pdf'; formats are: markdown"):
        export("pdf", notes)


def test_importers_and_exporters_load_neither_textual_nor_tinydb():
    code = (
        "import sys, qa_queue.importers, qa_queue.exporters;"
        "print(sorted(m for m in ('textual', 'tinydb') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_a_short_answer_keeps_the_line_a_lead_in_introduces():
    from qa_queue.exporters.markdown import first_paragraph

    reply = "As you noted,\n\nHowever, no trials have been done.\n\nThis is what we would prefer."
    assert first_paragraph(reply) == "As you noted,\n\nHowever, no trials have been done."
    assert first_paragraph("Yes.\n\nMore.") == "Yes."
