"""Forum pages as hosts save them: each post's author, date and text, where the page says them.

Discourse's /raw of a topic, a phpBB topic copied from the browser, a Reddit thread and a
Facebook group post saved as text. thread.py reads what none of these shapes fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

Line = tuple[int, str]  # (line number in the file, text)

# "priya_r | 2026-11-26 18:01:22 UTC | #1": Discourse's /raw/<topic> heads each post so
_DISCOURSE = re.compile(
    r"^(?P<name>\S{1,60}) \| (?P<date>\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)?(?: ?UTC)?) \| #\d+$"
)
_DASHES = re.compile(r"^ {0,3}-{3,}[ \t]*$")
# "Post by kidneyworried » Thu Nov 26, 2026 6:01 pm" (prosilver: "by … »")
_PHPBB = re.compile(r"^(?:Post )?by (?P<name>\S.{0,59}?) » (?P<date>\S.*?)$")
_REDDIT_POSTER = re.compile(r"^Posted by u/(?P<name>[\w-]{1,40})(?:[ \t]+(?P<date>.*))?$")
_SUBREDDIT = re.compile(r"^r/\w{2,30}$")
_AGO = re.compile(
    r"^(?:·[ \t]*)?(?P<count>\d+)[ \t]*(?P<unit>mo|min|[smhdwy]|sec|minute|hour|hr|day|week|"
    r"month|year|yr)s?\.?(?:[ \t]+ago)?$|^(?:·[ \t]*)?just now$",
    re.I,
)
_FLAIR = re.compile(r"^(?:OP|MOD|Mod|Admin|Moderator|Author|Top \d+% Commenter|Edited)$")
_REDDIT_HANDLE = re.compile(r"^[\w-]{3,20}$")
# the buttons and counts a saved page keeps between the posts
_CHROME = re.compile(
    r"^(?:\d+ (?:comments?|more repl(?:y|ies)|points?|votes?)|share|save|reply|report|follow|"
    r"give award|award|upvote|downvote|vote|like|comment|more|top|level \d+|\d+|"
    r"sort by:.*|most relevant|view more comments|write a comment…?|edited|see translation)$",
    re.I,
)
_FACEBOOK_DATE = re.compile(
    r"^(?:(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december) \d{1,2}(?:, \d{4})?|yesterday|today)(?: at \d{1,2}:\d\d ?(?:am|pm)?)?$",
    re.I,
)
_QUOTE_OPEN = re.compile(r"\[quote(?:=[^\]]*)?\]", re.I)
_QUOTE_CLOSE = re.compile(r"\[/quote\]", re.I)
_SHORT_AGO = {"s": "seconds", "sec": "seconds", "m": "minutes", "min": "minutes"}
_SHORT_AGO |= {"minute": "minutes", "h": "hours", "hr": "hours", "hour": "hours"}
_SHORT_AGO |= {"d": "days", "day": "days", "w": "weeks", "week": "weeks"}
_DAYS = {"mo": 30, "month": 30, "y": 365, "yr": 365, "year": 365}


@dataclass
class PagePost:
    author: str
    date: str = ""  # as the page writes it, or as UTC ISO for "3 days ago"
    lines: list[Line] = field(default_factory=list)


@dataclass
class Page:
    shape: str  # what the report calls it: "a Discourse topic (/raw)"
    title: str  # "" when the page has none: the first post's words give one
    posts: list[PagePost]


def read_page(lines: list[Line], saved_at: str) -> Page | None:
    """The page's posts when the lines are one of the shapes known, else None. `saved_at`
    (the file's time) dates Reddit's "3 days ago"."""
    for reader in (_discourse, _phpbb, _reddit, _facebook):
        page = reader(lines, saved_at)
        if page is not None and page.posts:
            return page
    return None


def without_quotes(lines: list[Line]) -> list[Line]:
    """A reply without what it quotes of earlier posts: [quote=…]…[/quote] (nested too) and
    "> " lines."""
    kept: list[Line] = []
    depth = 0
    for number, text in lines:
        opened, closed = len(_QUOTE_OPEN.findall(text)), len(_QUOTE_CLOSE.findall(text))
        if depth == 0 and not opened and not text.lstrip().startswith(">"):
            kept.append((number, text))
        depth = max(0, depth + opened - closed)
    return kept


def _heading(text: str) -> str:
    return text.strip().lstrip("#").strip()


def _discourse(lines: list[Line], _saved_at: str) -> Page | None:
    heads = [i for i, (_, text) in enumerate(lines) if _DISCOURSE.match(text.strip())]
    if not heads:
        return None
    before = [text for _, text in lines[: heads[0]] if text.strip()]
    title = _heading(before[0]) if before else ""
    posts = []
    for index, start in enumerate(heads):
        end = heads[index + 1] if index + 1 < len(heads) else len(lines)
        match = _DISCOURSE.match(lines[start][1].strip())
        assert match is not None
        body = [line for line in lines[start + 1 : end] if not _DASHES.match(line[1])]
        posts.append(PagePost(match["name"], match["date"], body))
    return Page("a Discourse topic (/raw)", title, posts)


def _phpbb(lines: list[Line], _saved_at: str) -> Page | None:
    heads = [i for i, (_, text) in enumerate(lines) if _PHPBB.match(text.strip())]
    if not heads:
        return None
    before = [text for _, text in lines[: heads[0]] if text.strip()]
    title = _heading(before[-1]) if before else ""
    posts = []
    for index, start in enumerate(heads):
        end = heads[index + 1] if index + 1 < len(heads) else len(lines)
        body = lines[start + 1 : end]
        # each post has a subject line above its "Post by": "Re: <the topic's title>"
        filled = [i for i, (_, text) in enumerate(body) if text.strip()]
        if filled and index + 1 < len(heads):
            subject = body[filled[-1]][1].strip()
            if subject.casefold().removeprefix("re:").strip() == title.casefold():
                body = body[: filled[-1]]
        match = _PHPBB.match(lines[start][1].strip())
        assert match is not None
        posts.append(PagePost(match["name"], match["date"], body))
    return Page("a phpBB topic", title, posts)


def _reddit(lines: list[Line], saved_at: str) -> Page | None:
    top = next((i for i, (_, t) in enumerate(lines[:12]) if _REDDIT_POSTER.match(t.strip())), None)
    if top is None:
        return None
    poster = _REDDIT_POSTER.match(lines[top][1].strip())
    assert poster is not None
    head = [t.strip() for _, t in lines[:top] if t.strip() and not _SUBREDDIT.match(t.strip())]
    start, date = top + 1, _ago(poster["date"] or "", saved_at)
    if start < len(lines) and _AGO.match(lines[start][1].strip()):
        date, start = _ago(lines[start][1].strip(), saved_at), start + 1
    posts = [PagePost(poster["name"], date)]
    index = start
    while index < len(lines):
        found = _reddit_comment(lines, index)
        if found is None:
            posts[-1].lines.append(lines[index])
            index += 1
            continue
        name, when, index = found
        posts.append(PagePost(name, _ago(when, saved_at)))
    for post in posts:
        post.lines = _without_chrome(post.lines)
    return Page("a Reddit thread", _heading(head[0]) if head else "", posts)


def _reddit_comment(lines: list[Line], index: int) -> tuple[str, str, int] | None:
    """(author, "2 days ago", the index after the header) where a comment starts: a handle,
    its flair (OP, MOD) and how long ago, each on a line of its own."""
    name = lines[index][1].strip()
    if not _REDDIT_HANDLE.match(name) or _CHROME.match(name) or _FLAIR.match(name):
        return None
    for after in range(index + 1, min(index + 4, len(lines))):
        text = lines[after][1].strip()
        if _AGO.match(text):
            return name.removeprefix("u/"), text, after + 1
        if not _FLAIR.match(text):
            return None
    return None


def _facebook(lines: list[Line], _saved_at: str) -> Page | None:
    """A group post: the poster's name, the date, the post, then comments (a name line, the
    comment, "2d", "Like", "Reply"). The name is not the title."""
    filled = [line for line in lines if line[1].strip()]
    if len(filled) < 3 or not _FACEBOOK_DATE.match(filled[1][1].strip()):
        return None
    if not _person(filled[0][1]):
        return None
    posts = [PagePost(filled[0][1].strip(), filled[1][1].strip())]
    after_chrome = False
    for line in filled[2:]:
        text = line[1].strip()
        if _CHROME.match(text) or _AGO.match(text) or _FLAIR.match(text):
            after_chrome = True
            continue
        if after_chrome and _person(text):
            posts.append(PagePost(text))
        else:
            posts[-1].lines.append(line)
        after_chrome = False
    return Page("a Facebook group post", "", [p for p in posts if p.lines])


def _person(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 4 and all(w[0].isalpha() and not w[0].islower() for w in words)


def _without_chrome(lines: list[Line]) -> list[Line]:
    return [line for line in lines if not _CHROME.match(line[1].strip())]


def _ago(text: str, saved_at: str) -> str:
    """ "3 days ago", counted back from when the page was saved, as UTC ISO; "" if unknown."""
    match = _AGO.match(text.strip())
    try:
        saved = datetime.fromisoformat(saved_at.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if match is None:
        return ""
    if match["count"] is None:  # "just now"
        return saved_at
    unit, count = match["unit"].lower(), int(match["count"])
    if unit in _DAYS:
        back = timedelta(days=count * _DAYS[unit])
    else:
        back = timedelta(**{_SHORT_AGO[unit]: count})
    return (saved - back).strftime("%Y-%m-%dT%H:%M:%SZ")
