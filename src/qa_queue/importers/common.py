"""What every importer shares: the batch it returns, fingerprints, titles, dates and decoding."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from ..errors import BadInput
from ..model.dates import zone_name
from ..model.follow_up import MailThread
from ..model.question import TITLES, Question
from . import timestamps

TITLE_LIMIT = 80
_SENTENCE_END = re.compile(r"(?<=[.?!])\s")


@dataclass
class ImportBatch:
    """The questions one file yielded, and one line per part of it that was left out."""

    questions: list[Question] = field(default_factory=list)
    # "file: row 7: no question text" — the rest of the file was still imported
    rejected: list[str] = field(default_factory=list)
    # import_key -> import_key of the question it duplicates (demo files link them by key;
    # the caller resolves them to ids once both are stored)
    duplicates: dict[str, str] = field(default_factory=dict)
    # what else a file of ours carried: podcast, hosts, episodes, saved_replies
    meta: dict[str, Any] = field(default_factory=dict)
    # what the importer guessed and did, one line each, for the import report: "UTF-8,
    # semicolon-separated", "columns: 'Timestamp' = received at, ...", "row 7 repeats row 3"
    notes: list[str] = field(default_factory=list)
    # import_key -> what an e-mail answers: the queue joins it to that question as a
    # follow-up, or keeps it as a question of its own when the queue has no such question
    follow_ups: dict[str, MailThread] = field(default_factory=dict)
    # what the file held besides plain questions: {"contact form (Squarespace)": 1}
    recognised: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Known:
    """What the database a file goes into holds that the file's questions may name."""

    hosts: Collection[str] = ()  # the show's host ids
    has_question: Callable[[int], bool] = lambda _id: False


def normalise(text: str) -> str:
    """Text reduced to what makes it the same question: NFC, single spaces, no edges."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fingerprint(*parts: str) -> str:
    """A short stable hash of some texts, insensitive to whitespace and Unicode form."""
    material = "\x1f".join(normalise(part) for part in parts)
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


# An opening that greets, praises or names someone, not what is asked: "Hi guys!", "Hey Austin
# and Jordan,", "Hallo zusammen,", "Great show!", "Longtime listener.", "Value4value!", "@Jordan".
# It never ends in "?", so "Hi, is creatine safe?" keeps its question.
_OPENING = re.compile(
    r"(?:(?:hi|hey|hello|heya|hiya|howdy|greetings|dear|good (?:morning|afternoon|evening)|"
    r"hallo|hola|bonjour|salut|ciao|ol[aá]|oi|moin|servus|hej)\b[^.!?:,\n]{0,40}[.!,:]+"
    r"|(?:(?:what an? )?(?:great|awesome|amazing|fantastic|brilliant|excellent|love|loving|"
    r"enjoy(?:ing)?|big|huge|long-?time|first-?time|thanks?|thank you|cheers|kudos|value ?4 ?"
    r"value|v4v|boost(?:ing)?|keep up)\b[^.!?:,\n]{0,50}[.!]+)"
    r"|@\S+?[,:]?)\s+",
    re.I,
)


def title_from(text: str, limit: int = TITLE_LIMIT) -> str:
    """A title made from a question's first sentence (after an opening that only greets or
    praises), cut at a word near `limit` characters."""
    opened = False
    while (opening := _OPENING.match(text.lstrip())) and text.lstrip()[opening.end() :].strip():
        text, opened = text.lstrip()[opening.end() :], True
    if opened:  # "Hi, is creatine safe?" is titled "Is creatine safe?"
        text = text[:1].upper() + text[1:]
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    sentence = _SENTENCE_END.split(first_line, maxsplit=1)[0].strip()
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0] or sentence[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


def parse_date(text: str, *, dayfirst: bool = False, zone: tzinfo = UTC) -> str:
    """A date as forms and headers write it, as stored (UTC ISO); ValueError when it is not one.

    A date without a zone is taken to be in `zone` (UTC unless the caller knows better); a zone
    written in it is honoured exactly (importers/timestamps.py).
    """
    return timestamps.parse_date(text, dayfirst=dayfirst, zone=zone)


def zoneless(written: str, zone: tzinfo, *, dayfirst: bool = False) -> list[str]:
    """The report's line for a time written without a zone, read in `zone` (the host's): an
    export's or a page's times are in its owner's zone, which the file does not say."""
    shifted = timezone(timedelta(hours=1))
    try:
        naive = parse_date(written, dayfirst=dayfirst) != parse_date(
            written, dayfirst=dayfirst, zone=shifted
        )
    except ValueError:
        return []
    if not naive:
        return []
    return [f"times without a zone read in your time zone ({zone_name(datetime.now(zone))})"]


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (with or without a BOM), UTF-16 or UTF-32 with a BOM (PowerShell's and
    Notepad's "Unicode"), or BadInput naming the line of the first bad byte."""
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise not_utf8(name, data[: error.start].count(b"\n") + 1) from None


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def not_utf8(name: str, line: int) -> BadInput:
    return BadInput(
        f"{name}: line {line}: not UTF-8 text (save the file as UTF-8 and import it again)"
    )


def place(name: str, where: str, why: str) -> str:
    """The one-line reason used for BadInput and rejected entries: file, place, why."""
    return " ".join(f"{name}: {where}: {why}".split())


# "Baker, Sue" and "Baker, Sue (Contoso)": how Outlook's company address books write a name
_SURNAME_FIRST = re.compile(
    r"([^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)?), ([^\W\d_][\w'’.-]*)(?: \([^()]*\))?"
)
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "md", "phd", "dr", "rn", "esq"}


def surname_last(display: str) -> str:
    """A name as it is said (a sender's, a Microsoft account's): "Baker, Sue" is Sue Baker."""
    match = _SURNAME_FIRST.fullmatch(display)
    if match is None or match.group(2).strip(".").casefold() in _SUFFIXES:
        return display
    return f"{match.group(2)} {match.group(1)}"


def _name_words(name: str) -> list[str]:
    words = [word for word in re.split(r"[\W_\d]+", name.casefold()) if word]
    while words[:1] and words[0] in TITLES and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _LETTERS_AFTER:  # "Austin Baraki, MD"
        words = words[:-1]
    return words


# degrees and suffixes written after a name
_LETTERS_AFTER = frozenset(
    {"md", "phd", "dpt", "rn", "np", "pa", "do", "dds", "facp", "facs", "mph", "msc", "bsc"}
    | {"ma", "mba", "jr", "sr", "ii", "iii", "iv", "esq", "cscs"}
)


def may_be_named(poster: str, host: str) -> bool:
    """Whether a poster's or sender's name may be this host's, as far as both names go:
    "Austin" and "Austin B." may be Austin Baraki, "Austin Smith" is not. A handle
    ("austin_fan") is one only when it is the host's first name or all of their name."""
    one, other = _name_words(poster), _name_words(host)
    if not one or not other:
        return False
    if not any(character.isspace() for character in poster.strip()):
        return one == other or one == [poster.strip().casefold()] == other[:1]
    if len(one) > len(other) > 1:
        return False  # "Austin Baraki-Smith" is not Austin Baraki (a host known as "Austin" may be)
    for mine, theirs in zip(one, other, strict=False):
        initial = (len(mine) == 1 and theirs.startswith(mine)) or (
            len(theirs) == 1 and mine.startswith(theirs)
        )
        if mine != theirs and not initial:
            return False
    return True
