"""Chat channels saved as JSON (Slack's channel export, Discord's API message list,
DiscordChatExporter): each listener's message a question, with their name and its time;
system messages, bots and the hosts left out and said; replies kept with their question;
the same file imported twice adds nothing."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.errors import BadInput
from qa_queue.importers import read_file
from qa_queue.importers.chat_messages import discord_text, slack_text
from qa_queue.importers.ours import parse_json
from tests.helpers import FIXTURES, FixedClock, run_cli

CHAT = FIXTURES / "chat"
SLACK = CHAT / "slack_export_2026-11-26.json"
DISCORD_API = CHAT / "discord_api_messages.json"
DISCORD_EXPORTER = CHAT / "discordchatexporter_channel.json"
HOSTS = ["Austin", "Jordan"]


def by_listener(batch):
    return {question.listener.name: question for question in batch.questions}


# -- Slack ----------------------------------------------------------------------------------


def test_a_slack_export_gives_each_listeners_question_with_their_name_and_time():
    batch = read_file(SLACK, hosts=HOSTS)
    assert batch.rejected == []
    names = [q.listener.name for q in batch.questions]
    assert names == ["Sara Lindholm", "Ravi Shah", "Jordan Lee"]
    sara = by_listener(batch)["Sara Lindholm"]
    assert sara.received_at == "2026-11-26T18:01:00Z"  # ts "1795716060.000200"
    assert sara.listener.contact == ""
    assert (sara.source.kind, sara.source.ref) == ("forum", "1795716060.000200")
    assert sara.title == "How many grams of protein per meal can the body actually use?"
    assert sara.body.startswith(
        "Hi @austin! How many grams of protein per meal can the body actually use? "
        "I keep hearing 30 g max :thinking_face:\n"
        "Saw Examine's piece (https://examine.com/articles/protein-timing/) & "
        "https://pubmed.ncbi.nlm.nih.gov/38000000/ but they disagree >_<"
    )
    ravi = by_listener(batch)["Ravi Shah"]
    assert ravi.body.startswith("@here Is zone 2 training worth it")
    assert ravi.body.endswith("Asking for #running-club")
    assert ravi.title == "Is zone 2 training worth it if I only have 3 hours a week?"


def test_slack_system_messages_bots_files_and_hosts_are_left_out_and_said():
    batch = read_file(SLACK, hosts=HOSTS)
    assert batch.notes == [
        "read as a Slack channel export: 11 messages",
        "skipped 3 system messages (1 joined the channel, 1 from a bot, 1 changed the topic)",
        "skipped 2 messages by the show's hosts (Austin Baraki, Jordan Feigenbaum)",
        "skipped 1 message without text (a file, an image or a sticker only)",
        "1 follow-up by the asker read as part of their question",
        "1 reply by another listener kept with the question it answers",
    ]
    bodies = " ".join(q.body + " ".join(r.text for r in q.replies) for q in batch.questions)
    for not_asked in ("has joined the channel", "adding it to the queue", "New episode"):
        assert not_asked not in bodies


def test_a_thread_reply_by_the_asker_is_part_of_the_question_and_others_are_replies():
    sara = by_listener(read_file(SLACK, hosts=HOSTS))["Sara Lindholm"]
    # that reply carries no user_profile: the same user's other message names her
    assert sara.body.endswith("\n\nAlso: does it matter if it's whey or pea protein?")
    [reply] = sara.replies
    assert (reply.author, reply.is_host) == ("Ravi Shah", False)
    assert reply.text == "Following, I'm on 25 g at breakfast :muscle:"
    assert reply.received_at == "2026-11-26T19:10:00Z"


def test_a_host_is_known_by_whole_name_and_in_a_reply_by_first_name():
    batch = read_file(SLACK, hosts=HOSTS)
    # "Jordan Feigenbaum" answering Ravi's question is the host Jordan; "Jordan Lee" asking
    # a question of her own is a listener
    assert "Jordan Lee" in by_listener(batch)
    assert by_listener(batch)["Ravi Shah"].replies == []


def test_without_the_hosts_names_a_hosts_reply_is_a_reply_never_a_question():
    batch = read_file(SLACK)
    assert len(batch.questions) == 3
    sara = by_listener(batch)["Sara Lindholm"]
    assert [r.author for r in sara.replies] == ["Austin Baraki", "Ravi Shah"]


def test_the_testers_slack_file_imports_one_question(tmp_path):
    """The black-box tester's file: a join, the question, the host's thread reply."""
    messages = json.loads(SLACK.read_text(encoding="utf-8"))
    subset = [messages[0], messages[1], messages[3]]  # the join, Sara, Austin's reply
    path = tmp_path / "slack_export_questions_2026-11-26.json"
    path.write_text(json.dumps(subset), encoding="utf-8")
    batch = read_file(path, hosts=["Austin"])
    [question] = batch.questions
    assert question.listener.name == "Sara Lindholm"
    assert question.received_at == "2026-11-26T18:01:00Z"
    assert question.replies == []


@pytest.mark.parametrize(
    ("text", "readable"),
    [
        ("Hi <@U1>!", "Hi @sara!"),
        ("Hi <@U9>", "Hi @U9"),  # someone the file does not name
        ("<@U9|ravi> said", "@ravi said"),
        ("see <https://x.org/a?b=1&amp;c=2|this>", "see this (https://x.org/a?b=1&c=2)"),
        ("<https://x.org|x.org> and <http://y.org>", "https://x.org and http://y.org"),
        ("<mailto:a@b.org|a@b.org>", "a@b.org"),
        ("<!here> <!channel> <!subteam^S01|@hosts>", "@here @channel @hosts"),
        ("by <!date^1795716060^{date}|Nov 26>", "by Nov 26"),
        ("in <#C01|general>", "in #general"),
        ("a &lt;b&gt; &amp;amp; :thinking_face: *bold*", "a <b> &amp; :thinking_face: *bold*"),
        ("1 < 2 has no markup", "1 < 2 has no markup"),
    ],
)
def test_slack_markup_reads_as_people_see_it(text, readable):
    assert slack_text(text, {"U1": "sara"}) == readable


@pytest.mark.parametrize(
    "subtype", ["channel_join", "channel_leave", "bot_message", "channel_topic", "tombstone"]
)
def test_slack_system_subtypes_are_never_questions(subtype):
    item = {"type": "message", "subtype": subtype, "ts": "1795716060.000200", "text": "words"}
    batch = parse_json(json.dumps([item]), name="s.json")
    assert batch.questions == [] and batch.rejected == []
    assert batch.notes[1].startswith("skipped 1 system message (1 ")


def test_a_slack_message_that_cannot_be_read_is_rejected_with_its_place():
    good = {"type": "message", "ts": "1795716060.000200", "user": "U1", "text": "Is it?"}
    items = [good, {"type": "message", "text": "no ts"}, {**good, "ts": "yesterday"}, 7]
    batch = parse_json(json.dumps(items), name="s.json")
    assert len(batch.questions) == 1
    assert batch.rejected == [
        "s.json: message 2: no time (ts)",
        "s.json: message 3: its time (ts) 'yesterday' is not Slack's epoch seconds",
        "s.json: message 4: not a Slack message (an object)",
    ]


# -- Discord ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [DISCORD_API, DISCORD_EXPORTER], ids=["api", "exporter"])
def test_a_discord_channel_gives_each_listeners_question_oldest_first(path):
    batch = read_file(path, hosts=HOSTS)
    assert batch.rejected == []
    larry, mia = batch.questions  # the API lists the newest first; questions come oldest first
    assert larry.listener.name == "Larry Chen"  # the display name, not "lifting_larry"
    assert mia.listener.name == "mia_runs"  # no display name: the user name
    assert larry.received_at == "2026-11-26T18:01:00Z"  # 12:01:00.123-06:00 in the exporter
    assert mia.received_at == "2026-11-26T19:02:03Z"
    assert (larry.source.kind, larry.source.ref) == ("forum", "1311034567890123456")
    assert larry.import_key == "discord:1311034567890123456"
    assert larry.body == (
        "Question for the show: is it worth getting a CGM if I'm not diabetic? @Austin :thonk:"
        "\n\nThanks! Also: does the Libre sensor work during swimming?"
    )  # the asker's reply to the host's reply is still their question
    assert [(r.author, r.text) for r in larry.replies] == [
        ("mia_runs", "Same question here, following!")
    ]


def test_discord_system_bot_and_host_messages_are_left_out_and_said():
    api = read_file(DISCORD_API, hosts=HOSTS)
    assert api.notes == [
        "read as a Discord channel (Discord's API messages): 8 messages",
        "skipped 2 system messages (1 joined the server, 1 from a bot)",
        "skipped 1 message by the show's hosts (Austin)",
        "skipped 1 message without text (a file, an image or a sticker only)",
        "1 follow-up by the asker read as part of their question",
        "1 reply by another listener kept with the question it answers",
    ]
    exporter = read_file(DISCORD_EXPORTER, hosts=HOSTS)
    assert exporter.notes[:3] == [
        "read as a Discord channel (DiscordChatExporter): 8 messages",
        "skipped 3 system messages (1 joined the server, 1 from a bot, 1 started a thread)",
        "skipped 1 message by the show's hosts (Austin)",
    ]


@pytest.mark.parametrize(
    ("text", "readable"),
    [
        ("hey <@42> and <@!42>", "hey @Larry and @Larry"),
        ("<@&7> <#99>", "@role #99"),
        ("so <:thonk:123> <a:party:456> :smile:", "so :thonk: :party: :smile:"),
        ("race on <t:1795716060:D>", "race on 2026-11-26 18:01 UTC"),
        ("use </remind:1>", "use /remind"),
    ],
)
def test_discord_markup_reads_as_people_see_it(text, readable):
    assert discord_text(text, {"42": "Larry"}) == readable


@pytest.mark.parametrize(("kind", "words"), [(0, True), (19, True), (7, False), (20, False)])
def test_only_discords_default_and_reply_messages_are_words(kind, words):
    item = {
        "id": "1",
        "type": kind,
        "content": "Is creatine safe?",
        "timestamp": "2026-11-26T18:01:00+00:00",
        "author": {"id": "2", "username": "u", "global_name": None},
    }
    batch = parse_json(json.dumps([item]), name="d.json")
    assert len(batch.questions) == (1 if words else 0)


# -- recognised by shape, through the command line ----------------------------------------


def test_a_chat_export_is_known_by_its_shape_not_its_name(tmp_path):
    path = tmp_path / "download"  # no extension: read as JSON by its first byte
    shutil.copy(DISCORD_EXPORTER, path)
    batch = read_file(path, hosts=HOSTS)
    assert batch.notes[0].startswith("read as a Discord channel (DiscordChatExporter)")
    assert len(batch.questions) == 2


@pytest.fixture
def cli(capsys, tmp_path, private_home, monkeypatch):
    import qa_queue.cli.context as context
    from qa_queue.queue import QuestionQueue

    clock = FixedClock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    monkeypatch.setattr(context, "QuestionQueue", partial(QuestionQueue, clock=clock, zone=UTC))
    run = partial(run_cli, capsys, "--db", str(tmp_path / "q.json"), "--as", "austin")
    assert run("hosts", "add", "austin", "Austin")[0] == 0
    assert run("hosts", "add", "jordan", "Jordan")[0] == 0
    return run


def test_a_slack_export_imported_twice_adds_nothing_the_second_time(cli):
    code, out, err = cli("import", str(SLACK))
    assert (code, err) == (0, "")
    assert f"{SLACK}: read as a Slack channel export: 11 messages" in out
    assert "added 3 (#1, #2, #3)" in out
    code, out, _ = cli("show", "1")
    assert "Sara Lindholm" in out and "2026-11-26T18:01:00Z" in out
    assert "Reply by Ravi Shah:" in out
    code, out, err = cli("import", str(SLACK))
    assert (code, err) == (0, "")
    assert "added 0, skipped 3 already there, rejected 0" in out


def test_the_same_discord_channel_through_the_api_and_the_exporter_is_imported_once(cli):
    code, out, _ = cli("import", str(DISCORD_API))
    assert code == 0 and "added 2 (#1, #2)" in out
    code, out, _ = cli("import", str(DISCORD_EXPORTER))
    assert code == 0 and "added 0, skipped 2 already there" in out
    code, out, _ = cli("list")
    assert len(out.strip().splitlines()) == 2
    assert "Larry Chen" in out and "mia_runs" in out


def test_json_that_is_none_of_our_shapes_is_refused_in_one_line(cli, tmp_path):
    path = tmp_path / "messages.json"
    items = [{"content": f"hi {n}", "author": {"username": "u"}} for n in range(30)]
    path.write_text(json.dumps(items))  # no "timestamp": not Discord's either
    code, out, err = cli("import", str(path))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"qa-queue: {path}: no item has a question text: expected questions with a body, "
        "question, text or message (README: JSON and JSONL)"
    ]


# -- no input crashes the reader ----------------------------------------------------------

WORDS = st.sampled_from(["message", "channel_join", "bot_message", "Default", "Reply", "0", ""])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | WORDS
JSON_VALUES = st.recursive(
    SCALARS | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
TIMES = st.sampled_from(
    ["1795716060.000200", "99999999999999.9", "2026-11-26T18:01:00+00:00", "0001-01-01T00:00-05:00"]
)
NAMES = ("id", "real_name", "display_name", "name", "username", "global_name", "nickname")
PERSON = st.fixed_dictionaries(
    {},
    optional={key: st.text(max_size=8) | JSON_VALUES for key in NAMES}
    | {"bot": st.booleans(), "isBot": JSON_VALUES},
)
IDS = st.sampled_from(["1", "2"])
MARKUP = st.sampled_from(["<@U1> hi", "<http://x|y>", "<t:99999999999999:R>", "<@2>"])
KEYS = {
    "type": st.sampled_from(["message", 0, 7, 19, "Default", "Reply", "GuildMemberJoin"])
    | JSON_VALUES,
    "subtype": JSON_VALUES,
    "ts": TIMES | JSON_VALUES,
    "thread_ts": TIMES | JSON_VALUES,
    "timestamp": TIMES | JSON_VALUES,
    "id": IDS | JSON_VALUES,
    "user": st.sampled_from(["U1", "U2"]) | JSON_VALUES,
    "text": st.text(max_size=30) | MARKUP,
    "content": st.text(max_size=30) | MARKUP | JSON_VALUES,
    "user_profile": PERSON | JSON_VALUES,
    "author": PERSON | JSON_VALUES,
    "member": JSON_VALUES,
    "mentions": st.lists(PERSON, max_size=2) | JSON_VALUES,
    "message_reference": st.fixed_dictionaries({"message_id": IDS, "type": JSON_VALUES})
    | JSON_VALUES,
    "reference": st.fixed_dictionaries({"messageId": IDS, "type": JSON_VALUES}) | JSON_VALUES,
    "bot_id": JSON_VALUES,
    "webhook_id": JSON_VALUES,
}


def shaped(**required):
    """Objects with these keys always and any of the others maybe."""
    others = {key: value for key, value in KEYS.items() if key not in required}
    return st.fixed_dictionaries(required, optional=others)


SLACK_TS = st.sampled_from(["1795716060.000200", "1795716061", "1795716062.5"])
DISCORD_TIMES = st.sampled_from(["2026-11-26T18:01:00.5+00:00", "2026-11-26T18:01:00"])
SLACK_LIKE = shaped(
    type=st.just("message"),
    ts=SLACK_TS | TIMES,
    thread_ts=SLACK_TS | JSON_VALUES,
    user=st.sampled_from(["U1", "U2"]),
    subtype=st.none() | WORDS,
    bot_id=st.none(),
    text=st.text(min_size=1, max_size=30) | MARKUP,
)
DISCORD_LIKE = shaped(
    id=IDS | st.sampled_from(["3", "4"]),
    type=st.sampled_from([0, 19, 7, "Default", "Reply"]),
    author=PERSON,
    content=st.text(max_size=30) | MARKUP,
    timestamp=DISCORD_TIMES | TIMES,
    webhook_id=st.none(),
    message_reference=st.fixed_dictionaries({"message_id": IDS}) | JSON_VALUES,
)
MESSAGES = st.lists(SLACK_LIKE | DISCORD_LIKE | shaped(), max_size=5)


@settings(max_examples=400, deadline=None)
@given(MESSAGES, st.booleans())
def test_any_list_of_objects_is_questions_rejections_or_one_line_never_a_crash(items, exporter):
    data = {"guild": {}, "channel": {}, "messages": items} if exporter else items
    try:
        batch = parse_json(json.dumps(data), name="c.json", now="2026-12-01T12:00:00Z", hosts=HOSTS)
    except BadInput as refused:
        assert "\n" not in str(refused)
        return
    assert all("\n" not in line for line in batch.rejected)
    for question in batch.questions:
        assert question.title.strip() and question.body.strip()
        assert question.received_at.endswith("Z")
