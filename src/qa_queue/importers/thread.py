"""A forum thread saved as text or Markdown: the title, the listener's post, then the replies."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, tzinfo

from ..errors import BadInput
from ..model.question import Listener, Question, Reply, Source
from .common import (
    ImportBatch,
    fingerprint,
    may_be_named,
    parse_date,
    place,
    title_from,
    zoneless,
)
from .forum_pages import Line, Page, read_page, without_quotes

_SEPARATOR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_FROM = re.compile(r"^(?:from|author|posted by|by)[ \t]*:[ \t]*(?P<name>\S.{0,79}?)[ \t]*$", re.I)
_BOLD = re.compile(
    r"^\*\*(?P<name>[^*\n]{1,80}?)[ \t]*(?P<colon>:?)[ \t]*\*\*(?P<after>:?)[ \t]*(?P<rest>.*)$"
)
_WROTE = re.compile(r"^(?P<name>[^\s:>*][^:\n]{0,60}?)[ \t]+wrote:[ \t]*$", re.I)
_META = re.compile(r"^(?P<key>date|posted|sent|url|link)[ \t]*:[ \t]*(?P<value>\S.*?)[ \t]*$", re.I)
_URL = re.compile(r"^<?(?P<url>https?://[^\s<>]+)>?$")
_HOST_MARK = re.compile(
    r"[ \t]*(?:\((?:co-?)?host\)|\[(?:co-?)?host\]|[-–—,][ \t]*(?:co-?)?host)$", re.I
)
_SIGN_OFF = re.compile(
    r"^(?:many |huge |big )?(?:thanks|thank you|thx|cheers|best|best wishes|best regards"
    r"|kind regards|regards|all the best|warm regards|sincerely)"
    r"(?: (?:so much|again|in advance|a lot|all))?[ \t]*[,.!]*$",
    re.I,
)
_THANKS = re.compile(r"(?i:\b(?:thanks|thank you|thx|cheers))[ \t,!]+(?P<name>[^\W\d_][\w'’-]*)")
_NOT_NAMES = {"for", "so", "again", "in", "to", "a", "all", "everyone", "guys", "both", "you"}
# A handle: letters and digits of any script, with _ . - inside, at least one letter.
_HANDLE = re.compile(r"@?(?=[\w.-]*[^\W\d_])[^\W_][\w.-]{0,39}")
# Bold words that open a paragraph as a label, not an author: "**edit:** I meant daily."
_LABELS = {
    "edit",
    "update",
    "note",
    "ps",
    "p.s",
    "tldr",
    "tl;dr",
    "disclaimer",
    "warning",
    "summary",
    "source",
    "sources",
    "question",
    "questions",
    "answer",
    "context",
    "background",
    "important",
    "also",
    "bonus",
    "caveat",
    "correction",
    "addendum",
    "reply",
    "quote",
}
_THANKS_POST_LIMIT = 300  # a longer paragraph that says thanks is more likely part of an answer


@dataclass
class Post:
    lines: list[Line] = field(default_factory=list)
    author: str = ""
    is_host: bool = False

    @property
    def text(self) -> str:
        return _join(self.lines)


def _join(lines: list[Line]) -> str:
    """The lines as one text, blank lines at either end left out and the rest kept verbatim."""
    return "\n".join(text for _, text in lines).strip("\n").rstrip()


def _strip_blank(lines: list[Line]) -> list[Line]:
    start = next((i for i, (_, text) in enumerate(lines) if text.strip()), len(lines))
    return lines[start:]


def _author(text: str) -> tuple[str, str] | None:
    """(author, text after it on the same line) when the line names who wrote the post."""
    stripped = text.strip()
    match = _FROM.match(stripped) or _WROTE.match(stripped)
    if match:
        return match["name"], ""
    match = _BOLD.match(stripped)
    # "**Important** read this" is emphasis, not an author: text after the name needs a colon.
    if match and (not match["rest"] or match["colon"] or match["after"]):
        return match["name"], match["rest"]
    return None


def _looks_like_name(text: str) -> bool:
    """A person's name ("Priya Raman", "Jean-Luc O'Neil", "张伟") or a forum handle ("priya_r",
    "p.raman-77"): forums show handles, in any case and script."""
    words = _HOST_MARK.sub("", text.strip()).split()
    if len(words) == 1 and _HANDLE.fullmatch(words[0]):
        return words[0].casefold().rstrip(".") not in _LABELS
    return 0 < len(words) <= 4 and all(_name_word(w) for w in words)


def _name_word(word: str) -> bool:
    """A word of a name starts with a letter that is not lower case (a capital, or a letter of
    a script without case) and holds letters, apostrophes, hyphens and dots ("O'Neil", "J.")."""
    first = word[0]
    return first.isalpha() and not first.islower() and all(c.isalpha() or c in "'’.-" for c in word)


def _split_host_mark(author: str) -> tuple[str, bool]:
    name = _HOST_MARK.sub("", author).strip(" *:")
    return name, name != author.strip(" *:")


def _header(lines: list[Line], post: Post, meta: dict[str, Line]) -> list[Line]:
    """Take a post's author and meta lines (From:, **Austin:**, Date:, URL:) off its top."""
    lines = _strip_blank(lines)
    while lines:
        number, text = lines[0]
        found = None if post.author else _author(text)
        if found and _looks_like_name(found[0]):
            post.author, post.is_host = _split_host_mark(found[0])
            lines = [(number, found[1]), *lines[1:]] if found[1] else lines[1:]
            continue
        match = _META.match(text.strip())
        url = _URL.match(text.strip())
        if match:
            key = "url" if match["key"].lower() in ("url", "link") else "date"
            meta.setdefault(key, (number, match["value"]))
        elif url:
            meta.setdefault("url", (number, url["url"]))
        else:
            break
        lines = _strip_blank(lines[1:])
    return lines


def _title(lines: list[Line], name: str) -> tuple[str, list[Line]]:
    lines = _strip_blank(lines)
    if not lines:
        raise BadInput(f"{name}: the file is empty")
    title = _HEADING.sub("", lines[0][1]).strip().rstrip("#").strip()
    if not title:
        raise BadInput(place(name, f"line {lines[0][0]}", "the first line should be the title"))
    rest = lines[1:]
    # A Markdown title underlined with === or --- is a heading, not a post separator.
    if rest and _SETEXT.match(rest[0][1]):
        rest = rest[1:]
    return title, rest


def _poster_above(lines: list[Line]) -> tuple[str, list[Line]]:
    """("Maria González", the rest) when the first line is a name alone and the post follows
    on the very next line (a social media post pasted as text), else ("", lines)."""
    lines = _strip_blank(lines)
    if len(lines) < 2 or not lines[1][1].strip() or _SETEXT.match(lines[1][1]):
        return "", lines
    first, following = lines[0][1].strip(), lines[1][1].strip()
    named = _looks_like_name(first) and " " in first and not first.endswith(("?", ":"))
    if named and _author(following) is None and not _META.match(following):
        return first, lines[1:]
    return "", lines


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    paragraphs: list[list[Line]] = [[]]
    for line in lines:
        if line[1].strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _thanked(text: str) -> str | None:
    """The name a post thanks ("That makes sense, thanks Austin!"), if it thanks someone."""
    for match in _THANKS.finditer(text):
        name = match["name"]
        if name[0].isupper() and name.lower() not in _NOT_NAMES:
            return name
    return None


def _split_sign_off(lines: list[Line]) -> tuple[list[Line], list[Line], str]:
    """The listener's post up to a sign-off that more text follows, the rest, and a signature."""
    for index, (_, text) in enumerate(lines):
        if not _SIGN_OFF.match(text.strip()):
            continue
        end, signature = index, ""
        following = lines[index + 1] if index + 1 < len(lines) else None
        if text.strip().endswith(",") and following and _looks_like_name(following[1]):
            end, signature = index + 1, following[1].strip()
        rest = lines[end + 1 :]
        if any(line.strip() for _, line in rest):
            return lines[: end + 1], rest, signature
        return lines, [], signature
    return lines, [], ""


def _split_at_author(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The listener's post up to the first later paragraph that opens with "**Austin:**"."""
    for index in range(1, len(lines)):
        found = _author(lines[index][1])
        if not lines[index - 1][1].strip() and found and _looks_like_name(found[0]):
            return lines[:index], lines[index:]
    return lines, []


def _replies_by_paragraph(lines: list[Line]) -> list[Post]:
    """Replies with no separators: a new one starts at an author line or a short thank-you."""
    posts: list[Post] = []
    for paragraph in _paragraphs(lines):
        text = _join(paragraph)
        found = _author(paragraph[0][1])
        named = found is not None and _looks_like_name(found[0])
        thanks = len(text) <= _THANKS_POST_LIMIT and _thanked(text) is not None
        if not posts or named or thanks:
            posts.append(Post())
            if found is not None and named:
                posts[-1].author, posts[-1].is_host = _split_host_mark(found[0])
                rest = [(paragraph[0][0], found[1])] if found[1] else []
                paragraph = rest + paragraph[1:]
        if posts[-1].lines:
            posts[-1].lines.append((paragraph[0][0] if paragraph else 0, ""))
        posts[-1].lines.extend(paragraph)
    return [post for post in posts if post.text.strip()]


def _split_posts(lines: list[Line], meta: dict[str, Line]) -> list[Post]:
    """The listener's post followed by the replies, split at separators or by the heuristics."""
    segments: list[list[Line]] = [[]]
    for line in lines:
        if _SEPARATOR.match(line[1]):
            segments.append([])
        else:
            segments[-1].append(line)
    posts: list[Post] = []
    for segment in segments:
        post = Post()
        post.lines = _header(segment, post, meta if not posts else {})
        if post.text.strip():
            posts.append(post)
    if len(segments) > 1 or not posts:
        return posts
    first = posts[0]
    body, rest, signature = _split_sign_off(first.lines)
    if not rest:
        body, rest = _split_at_author(body)
    first.lines = body
    first.author = first.author or _split_host_mark(signature)[0]
    return [first, *_replies_by_paragraph(rest)]


def _first_name(name: str) -> str:
    """ "Priya Raman" -> "priya"; a handle's first part too: "austin_bbm", "priya.r88" ->
    "austin", "priya", as forums make handles of a first name."""
    words = [word for word in re.split(r"[\W_\d]+", name.casefold()) if word]
    return words[0] if words else ""


def _same_person(one: str, other: str) -> bool:
    """ "Priya" and "Priya Raman" are the same poster in one thread."""
    return _first_name(one) == _first_name(other)


def _attribute(posts: list[Post], hosts: Collection[str]) -> None:
    """Mark the host's replies: by a host mark, a known host's name, or the asker's thanks."""
    # "austin" and "Austin B." are Austin Baraki; "austin_fan" and "Austin Smith" are not: a
    # listener's words must never be taken for a host's answer (a listener's thanks to
    # Austin still marks austin_bbm's post)
    listener = posts[0].author
    for post in posts[1:]:
        if any(may_be_named(post.author, host) for host in hosts):
            post.is_host = True
    for index in range(2, len(posts)):
        post = posts[index]
        name = _thanked(post.text)
        if name is None or (post.author and listener and not _same_person(post.author, listener)):
            continue
        post.author = post.author or listener
        named = [p for p in posts[1:index] if _first_name(p.author) == name.casefold()]
        target = named[-1] if named else None
        if target is None and not posts[index - 1].author:
            target = posts[index - 1]
            target.author = name
        if target is not None:
            target.is_host = True


def parse_thread(
    text: str,
    *,
    name: str,
    received_at: str,
    hosts: Collection[str] = (),
    zone: tzinfo = UTC,
) -> ImportBatch:
    """One question from a thread; `received_at` dates it unless the thread has a Date: line,
    read in `zone` (the host's) when it names none."""
    numbered = list(enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1))
    meta: dict[str, Line] = {}
    notes: list[str] = []
    page = read_page(numbered, received_at)
    posts = _page_posts(page) if page is not None else []
    if page is not None and posts:
        title = page.title or title_from(posts[0].text)
        notes.append(f"read as {page.shape}: {len(posts)} post{'s' * (len(posts) != 1)}")
        first_date = page.posts[0].date
        if first_date:
            try:
                received_at, notes = (
                    parse_date(first_date, zone=zone),
                    [
                        *notes,
                        *zoneless(first_date, zone),
                    ],
                )
            except ValueError:  # a page's date in a form not read: dated as the file is
                notes.append(f"the first post's date {first_date!r} was not understood")
    else:
        poster, rest = _poster_above(numbered)
        title, rest = ("", rest) if poster else _title(numbered, name)
        posts = _split_posts(rest, meta)
        if poster and posts:  # a post pasted with its poster's name on top has no title
            posts[0].author = posts[0].author or poster
            title = title_from(posts[0].text)
        if not posts:
            line = rest[0][0] if rest else len(numbered)
            raise BadInput(place(name, f"line {line}", "no question after the title"))
    if not title:
        raise BadInput(place(name, "line 1", "no title and no words to make one of"))
    _attribute(posts, hosts)
    if "date" in meta:
        number, value = meta["date"]
        try:
            received_at = parse_date(value, zone=zone)
        except ValueError as error:
            raise BadInput(place(name, f"line {number}", str(error))) from None
        notes = zoneless(value, zone)
    first = posts[0]
    # a reply's quotes of earlier posts are theirs, not the reply's words
    replies = [Reply(_join(without_quotes(p.lines)), p.author, p.is_host) for p in posts[1:]]
    question = Question(
        title=title,
        body=first.text,
        received_at=received_at,
        source=Source(kind="forum", ref=meta["url"][1] if "url" in meta else None),
        listener=Listener(name=first.author),
        replies=[reply for reply in replies if reply.text.strip()],
        import_key="thread:" + fingerprint(title, first.text),
    )
    return ImportBatch(questions=[question], notes=notes)


def _page_posts(page: Page) -> list[Post]:
    posts = [Post(lines=_strip_blank(p.lines), author=p.author) for p in page.posts]
    return [post for post in posts if post.text.strip()]
