"""The filter language as a spec, run through a real store with QuestionQueue.find.

``status:new tag:pain host:me priority:>=2 since:2026-11-01 naltrexone``: fields AND together,
commas OR values, a leading ``-`` negates, bare words and "double-quoted phrases" search the text
case-insensitively, snoozed questions stay hidden unless asked for, and anything the language
does not know is a BadInput that says what it does know.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_queue import query
from qa_queue.errors import BadInput
from qa_queue.model.question import Listener, Question, Source
from qa_queue.queue import QuestionQueue

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

LDN, KNEE, FUNDS, CROHNS, SLEEP = 1, 2, 3, 4, 5
VISIBLE = {LDN, KNEE, FUNDS, CROHNS}


def _add(queue, title, body, received_at, source, listener, tags=(), priority=0) -> int:
    question = queue.add(
        Question(
            title=title,
            body=body,
            received_at=received_at,
            source=Source(kind=source),
            listener=Listener(name=listener, contact=f"{listener.split()[0].lower()}@example.org"),
        )
    )
    if tags:
        queue.tag(question.id, add=tags)
    if priority:
        queue.set_priority(question.id, priority)
    return question.id


@pytest.fixture
def shelf(queue):
    """Five questions with everything the filters look at; #5 is snoozed until next friday."""
    ids = [
        _add(
            queue,
            "Does LDN help fibromyalgia?",
            "I read that low-dose naltrexone helps with fibro pain. Worth asking my doctor?",
            "2026-11-01T09:00:00Z",
            "forum",
            "Mary Ann Smith",
            ["pain", "ldn"],
            2,
        ),
        _add(
            queue,
            "Knee pain after running",
            "My knee hurts after every 10k.",
            "2026-11-10T09:00:00Z",
            "email",
            "Bob Jones",
            ["pain", "running"],
            1,
        ),
        _add(
            queue,
            "Index funds or bonds?",
            "Should my savings go into index funds?",
            "2026-11-20T09:00:00Z",
            "form",
            "Chen Li",
            ["finance"],
        ),
        _add(
            queue,
            "Crohn's and diet",
            "What should I eat with Crohn's disease?",
            "2026-10-15T09:00:00Z",
            "voicemail",
            "Dana",
            ["diet"],
            3,
        ),
        _add(
            queue,
            "Coffee and sleep",
            "Does coffee after noon ruin sleep?",
            "2026-11-22T09:00:00Z",
            "manual",
            "Eve",
            [],
            1,
        ),
    ]
    assert ids == [LDN, KNEE, FUNDS, CROHNS, SLEEP]
    queue.assign(LDN, "austin")
    queue.set_status(LDN, "triaged")
    queue.assign(KNEE, "jordan")
    queue.set_notes(FUNDS, "Ask Jordan about ETFs")
    queue.assign(CROHNS, "austin")
    queue.set_status(CROHNS, "drafting")
    queue.set_answer(CROHNS, "Try an elimination diet with your gastroenterologist.")
    queue.set_status(CROHNS, "ready")
    queue.set_status(CROHNS, "answered")
    queue.save_episode(12, "Gut feelings")
    queue.add_to_episode(CROHNS, 12, "00:41:05")
    queue.snooze(SLEEP, "next friday")
    return queue


def ids(queue, text: str) -> set[int]:
    return {summary["id"] for summary in queue.find(text)}


def test_an_empty_query_shows_everything_not_snoozed(shelf):
    assert ids(shelf, "") == VISIBLE
    assert ids(shelf, "   ") == VISIBLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("status:new", {KNEE, FUNDS}),
        ("STATUS:New", {KNEE, FUNDS}),
        ("status:new,triaged", {LDN, KNEE, FUNDS}),
        ("status:answered", {CROHNS}),
        ("status:declined", set()),
        ("-status:new", {LDN, CROHNS}),
        ("-status:new,triaged", {CROHNS}),
    ],
)
def test_status(shelf, text, expected):
    assert ids(shelf, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tag:pain", {LDN, KNEE}),
        ("tag:PAIN", {LDN, KNEE}),
        ("tag:pain,diet", {LDN, KNEE, CROHNS}),
        ("tag:pain tag:running", {KNEE}),
        ("-tag:pain", {FUNDS, CROHNS}),
        ("tag:nothing", set()),
    ],
)
def test_tag(shelf, text, expected):
    assert ids(shelf, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("host:austin", {LDN, CROHNS}),
        ("host:me", {LDN, CROHNS}),
        ("is:mine", {LDN, CROHNS}),
        ("host:jordan", {KNEE}),
        ("host:me,jordan", {LDN, KNEE, CROHNS}),
        ("host:none", {FUNDS}),
        ("host:nobody", {FUNDS}),
        ("is:unassigned", {FUNDS}),
        ("-host:none", {LDN, KNEE, CROHNS}),
        ("-host:me", {KNEE, FUNDS}),
    ],
)
def test_host(shelf, text, expected):
    assert ids(shelf, text) == expected


def test_host_me_follows_who_is_asking(shelf, store, clock):
    jordan = QuestionQueue(store, me="jordan", clock=clock, zone=UTC)
    assert ids(jordan, "host:me") == {KNEE}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("priority:2", {LDN}),
        ("priority:=2", {LDN}),
        ("priority:>=2", {LDN, CROHNS}),
        ("priority:>2", {CROHNS}),
        ("priority:<=1", {KNEE, FUNDS}),
        ("priority:<1", {FUNDS}),
        ("priority:0,3", {FUNDS, CROHNS}),
        ("-priority:0", {LDN, KNEE, CROHNS}),
    ],
)
def test_priority(shelf, text, expected):
    assert ids(shelf, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("since:2026-11-10", {KNEE, FUNDS}),
        ("before:2026-11-10", {LDN, CROHNS}),
        ("since:2026-11-01 before:2026-11-15", {LDN, KNEE}),
        ('since:"Nov 15"', {FUNDS}),
        ('since:"2026-11-10 9am"', {KNEE, FUNDS}),
        ('since:"2026-11-10 10am"', {FUNDS}),
        ("since:today", set()),
        ("before:tomorrow", VISIBLE),
    ],
)
def test_since_and_before(shelf, text, expected):
    assert ids(shelf, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("episode:12", {CROHNS}),
        ("episode:>=1", {CROHNS}),
        ("episode:13", set()),
        ("-episode:12", {LDN, KNEE, FUNDS}),
        ("source:forum", {LDN}),
        ("source:email,form", {KNEE, FUNDS}),
        ("-source:voicemail", {LDN, KNEE, FUNDS}),
        ("listener:mary", {LDN}),
        ("listener:SMITH", {LDN}),
        ('listener:"mary ann"', {LDN}),
        ("listener:bob,dana", {KNEE, CROHNS}),
        ("id:2", {KNEE}),
        ("id:1,3", {LDN, FUNDS}),
        ("id:>=3", {FUNDS, CROHNS}),
        ("-id:1", {KNEE, FUNDS, CROHNS}),
    ],
)
def test_episode_source_listener_and_id(shelf, text, expected):
    assert ids(shelf, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is:snoozed", {SLEEP}),
        ("snoozed:yes", {SLEEP}),
        ("snoozed:any", VISIBLE | {SLEEP}),
        ("snoozed:no", VISIBLE),
        ("-is:snoozed", VISIBLE),
        ("-snoozed:no", {SLEEP}),
        ("is:snoozed priority:1", {SLEEP}),
        ("is:snoozed coffee", {SLEEP}),
        ("coffee", set()),
        ("id:5", set()),
        ("snoozed:any id:5", {SLEEP}),
    ],
)
def test_snoozed(shelf, text, expected):
    assert ids(shelf, text) == expected


def test_a_snooze_ends_on_its_day(shelf, clock):
    clock.now = datetime(2026, 11, 26, 23, 59, tzinfo=UTC)
    assert ids(shelf, "") == VISIBLE
    clock.now = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    assert ids(shelf, "") == VISIBLE | {SLEEP}
    assert ids(shelf, "is:snoozed") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("naltrexone", {LDN}),
        ("NALTREXONE", {LDN}),
        ("Naltrexone FIBRO", {LDN}),
        ("pain", {LDN, KNEE}),
        ("knee naltrexone", set()),
        ('"low-dose naltrexone"', {LDN}),
        ('"LOW-DOSE   Naltrexone"', {LDN}),
        ('"naltrexone low-dose"', set()),
        ("crohn's", {CROHNS}),
        ("Crohn's disease", {CROHNS}),
        ("etfs", {FUNDS}),  # internal notes
        ("elimination", {CROHNS}),  # the final answer
        ("finance", {FUNDS}),  # tags
        ("mary", {LDN}),  # the listener's name
        ("example.org", set()),  # never the listener's contact
    ],
)
def test_bare_words_and_phrases_search_the_text(shelf, text, expected):
    assert ids(shelf, text) == expected


def test_drafts_and_reference_titles_are_searched(shelf):
    shelf.save_draft(KNEE, "Patellofemoral pain is common in runners.")
    shelf.add_reference(FUNDS, "Bogleheads wiki: three-fund portfolio", "https://example.org/3f")
    assert ids(shelf, "patellofemoral") == {KNEE}
    assert ids(shelf, "bogleheads") == {FUNDS}


def test_fields_and_words_combine(shelf):
    text = "status:new tag:pain host:jordan priority:>=1 since:2026-11-01 knee"
    assert ids(shelf, text) == {KNEE}
    assert ids(shelf, "tag:pain -host:me pain") == {KNEE}


def test_find_sorts(shelf):
    assert [s["id"] for s in shelf.find("")] == [CROHNS, LDN, KNEE, FUNDS]  # oldest first
    assert [s["id"] for s in shelf.find("", sort="priority")] == [CROHNS, LDN, KNEE, FUNDS]
    assert [s["id"] for s in shelf.find("", sort="id")] == [LDN, KNEE, FUNDS, CROHNS]
    with pytest.raises(BadInput, match="sorts are: age, priority, asked, id"):
        shelf.find("", sort="loudness")


# the shelf is only read here, so one for every example is right
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.sampled_from(["", "pain", "fibro", "tag:pain", "-tag:pain", "snoozed:any", "zzz"]),
    sort=st.sampled_from(sorted(query.SORTS)),
    step=st.integers(min_value=1, max_value=6),
    first_step=st.integers(min_value=1, max_value=6),
)
def test_a_search_in_steps_finds_what_find_finds_in_the_same_order(
    shelf, text, sort, step, first_step
):
    steps = list(shelf.find_in_steps(text, sort, step=step, first_step=first_step))
    assert all(len(hits) <= step for hits in steps)
    assert [s["id"] for hits in steps for s in hits] == [s["id"] for s in shelf.find(text, sort)]


def test_a_search_in_steps_keeps_the_order_it_is_given(shelf):
    shown = list(reversed(shelf.find("")))  # the rows a host looks at, in their order
    steps = shelf.find_in_steps("pain", within=shown, step=1, ordered=True)
    assert [s["id"] for hits in steps for s in hits] == [KNEE, LDN]
    with pytest.raises(BadInput, match="unknown filter field"):
        next(shelf.find_in_steps("colour:red"))


@pytest.mark.parametrize("name", list(query.VIEWS))
def test_every_saved_view_is_a_valid_query(shelf, name):
    shelf.find(query.VIEWS[name])


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("colour:red", "unknown filter field 'colour'; fields are: status, tag, host"),
        ("status:open", "unknown status 'open'; statuses are: new, triaged, drafting"),
        ("status:new,open", "unknown status 'open'"),
        ("priority:high", "priority: wants a number like 2 or >=2, not 'high'"),
        ("priority:>>2", "priority: wants a number"),
        ("episode:twelve", "episode: wants a number"),
        ("id:#3", "id: wants a number"),
        ("since:someday", "cannot understand the date 'someday'"),
        ('before:"in 2 fortnights"', "unknown unit 'fortnight'"),
        ("is:urgent", "is: knows snoozed, mine, unassigned and waiting"),
        ("snoozed:maybe", "snoozed: wants any, yes or no"),
        ("-snoozed:any", "cannot be negated"),
        ("tag:", "'tag:' needs a value after the colon, e.g. tag:pain"),
        ("status:,", "'status:' needs a value"),
        ('"low dose', 'a " opens a phrase that is never closed'),
    ],
)
def test_what_the_language_does_not_know_is_bad_input(shelf, text, hint):
    with pytest.raises(BadInput) as refused:
        shelf.find(text)
    assert hint in str(refused.value)
    assert "\n" not in str(refused.value)


def test_host_me_needs_to_know_who_you_are():
    with pytest.raises(BadInput, match="needs to know who you are"):
        query.parse("host:me", me=None, now=NOW)
    with pytest.raises(BadInput, match="needs to know who you are"):
        query.parse("is:mine", me=None, now=NOW)


def test_colons_in_words_that_are_not_fields():
    parsed = query.parse('10:30 covid-19: "ratio: one to two"', now=NOW)
    assert parsed.words == [b"10:30", b"covid-19:", b"ratio: one to two"]
    assert parsed.checks == []
    with pytest.raises(BadInput, match="unknown filter field 'ratio'"):
        query.parse("ratio:2", now=NOW)  # a mistyped field fails loudly instead of matching nothing


def test_parse_keeps_words_lower_cased_and_space_normalised():
    parsed = query.parse('Naltrexone "Low   Dose" crohn\'s', now=NOW)
    assert parsed.words == [b"naltrexone", b"low dose", b"crohn's"]
    assert parsed.snoozed == "hide"


TOKENS = st.sampled_from(
    [
        *(f"{name}:" for name in query.FIELDS),
        "-",
        '"',
        "'",
        ",",
        ":",
        "\\",
        " ",
        "me",
        "none",
        ">=",
        "<",
        "2",
        "new",
        "snoozed",
        "any",
        "next friday",
        "2026-12-01",
        "in 99999999999999999999 days",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(max_size=60), st.lists(TOKENS | st.text(max_size=4)).map("".join)),
    me=st.sampled_from([None, "austin"]),
)
def test_parse_raises_nothing_but_bad_input(text, me):
    try:
        parsed = query.parse(text, me=me, now=NOW, zone=UTC)
    except BadInput as error:
        assert "\n" not in str(error)
    else:
        assert parsed.snoozed in ("hide", "only", "any")
        assert all(isinstance(word, bytes) and word for word in parsed.words)


def test_the_store_indexes_narrow_a_query_to_the_same_answer_as_a_full_scan(queue):
    """status/tag/host indexes pick candidates; the result must equal checking every question."""
    for n in range(30):
        added = queue.add(
            Question(
                title=f"q{n} knee",
                body="creatine" if n % 3 else "sleep",
                received_at=f"2026-11-{1 + n % 20:02d}T10:00:00Z",
            )
        )
        if n % 2:
            queue.tag(added.id, add=["pain"] if n % 4 == 1 else ["sleep"])
        if n % 5 == 0:
            queue.assign(added.id, "jordan")
    for text in (
        "status:new tag:pain",
        "tag:pain,sleep creatine",
        "host:jordan -tag:pain",
        "host:none status:new,triaged tag:sleep",
        "tag:pain tag:sleep",
        "tag:nothing-like-this",
    ):
        parsed = query.parse(text, me=queue.me, now=queue.now())
        everything = query.run(queue.store.summaries(), parsed, queue.now(), queue.store.containing)
        assert sorted(s["id"] for s in queue.find(text)) == sorted(s["id"] for s in everything), (
            text
        )
