"""What the cells of one form response row say: the listener (a name in one column, in
first and last, or in one cell's parts; an address typed as a name), tags, a boost's sats, and
text a rich-text field wrote as HTML."""

from __future__ import annotations

import re

from ..model.question import Credit, Listener, name_without_contacts
from .columns import Columns, credit_from
from .common import surname_last
from .htmltext import html_to_text

TAG_SPLIT = re.compile(r"[,;\n]")  # Formstack puts each ticked option on a line
EMAIL = re.compile(r"[^\s@<>(),;:\"]+@[^\s@<>(),;:\"]+\.[^\s@<>(),;:\"]+")
MAY_HOLD_CONTACT = re.compile(r"@|(?:\d\D*){7}")  # an address, or digits enough for a phone
NOT_A_NAME = {"anonymous", "anonym", "anónimo", "anônimo", "anonyme", "n/a", "-"}
# one line of a field asked in parts, as Formstack writes it in one cell: "first = Kenji"
_PART = re.compile(
    r"(?:prefix|first|middle|initial|last|suffix|address|address2|city|state|zip|country)"
    r"\s*=\s*(.*)",
    re.IGNORECASE,
)


# what only HTML holds: a line break, a paragraph, or the end of an element a rich-text field
# writes (HubSpot's "<p>…</p>"); "is <5g ok?" or "a <b> tag?" is a listener's plain text
_HTML = re.compile(
    r"<br\s*/?>|<p(?:\s[^<>]*)?>|</(?:p|div|span|strong|b|em|i|u|ul|ol|li|a|h[1-6]|blockquote"
    r"|table|tr|td|font)\s*>",
    re.IGNORECASE,
)


def readable(text: str) -> str:
    """A cell's text: HTML made plain (tags out, entities read, <br> and <p> as line
    breaks) when the cell is clearly HTML; plain text as it is."""
    return html_to_text(text) if _HTML.search(text) else text


def parts_joined(text: str) -> str:
    """A cell holding a field's parts ("first = Kenji\nlast = Watanabe") as the words they
    are ("Kenji Watanabe"); any other cell as it is."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    parts = [_PART.fullmatch(line) for line in lines]
    if not parts or not all(parts):
        return text
    return " ".join(part[1].strip() for part in parts if part and part[1].strip())


def cell(row: list[str], columns: Columns, role: str) -> str:
    index = columns.single.get(role)
    if index is None:
        return ""
    first = ""
    for column in (index, *columns.fallbacks.get(role, ())):
        text = row[column].replace("\r\n", "\n").strip() if column < len(row) else ""
        text = parts_joined(readable(text))
        if text and text.casefold() not in NOT_A_NAME:
            return text
        first = first or text  # "anonymous" (Microsoft Forms), unless another column names them
    return first


def listener_of(row: list[str], columns: Columns, accounts: bool = False) -> Listener:
    name = cell(row, columns, "name")
    if not name:
        first, last = cell(row, columns, "first_name"), cell(row, columns, "last_name")
        name = " ".join(part for part in (first, last) if part)
    contact = cell(row, columns, "email")
    # an address typed into the name field is a contact, never a name
    if MAY_HOLD_CONTACT.search(name):
        written, name = name, name_without_contacts(name)
        if written != name and not contact:
            found = EMAIL.search(written)
            contact = found.group(0) if found else ""
    else:
        name = " ".join(name.split())
        if accounts:  # "Okafor, Jide", as many companies' accounts are named; typed, a
            name = surname_last(name)  # "Ravi, Leeds" is a name and a town

    if columns.boosts and not name and contact:
        # a boost's sender is a public handle; Fountain sends a Lightning address, user@wallet
        name = contact.partition("@")[0]
    if contact.casefold() in NOT_A_NAME:  # Microsoft Forms writes "anonymous" in both
        contact = ""
    if name.casefold() in NOT_A_NAME:
        return Listener(name="", contact=contact, credit=Credit.ANONYMOUS)
    if columns.boosts:  # a name the sender chose to send with a public boost
        credit = Credit.FULL
    else:
        credit = credit_from(cell(row, columns, "credit"), columns.credit_means_anonymous)
    return Listener(name=name, contact=contact, credit=credit)


def tags_in(row: list[str], columns: Columns) -> list[str]:
    """The tags a row's answers give: the tags column's, and its option columns' (an option
    ticked with "1", "x" or "yes" is named by its header's brackets)."""
    chosen = columns.single.get("tags")
    answers = []
    for index in () if chosen is None else (chosen, *columns.options):
        answer = parts_joined(readable(row[index].strip())) if index < len(row) else ""
        option = _OPTION.search(columns.header[index])
        if option and answer.casefold() in _TICKED:
            answer = option[1]
        answers.append(answer)
    return tags_of(", ".join(answer for answer in answers if answer))


_OPTION = re.compile(r"[(\[]([^()\[\]]+)[)\]]\s*$")  # "Which topics? (Sleep)"
_TICKED = {"1", "x", "yes", "true", "checked", "selected", "✓", "✔"}


def tags_of(cell: str) -> list[str]:
    """ "Sleep, Shift work" -> ["sleep", "shift-work"], as the queue writes tags."""
    # Mailchimp quotes each of its tags: "podcast","vip"
    tags = ("-".join(part.strip().strip("\"'").lower().split()) for part in TAG_SPLIT.split(cell))
    return list(dict.fromkeys(tag for tag in tags if tag))


def sats_of(cell: str, millisats: bool) -> int | None:
    if not cell:
        return None
    try:
        amount = int(cell.replace(",", "").replace("_", ""))
    except ValueError:
        raise ValueError(f"the amount {cell[:20]!r} is not a number of sats") from None
    if amount < 0:
        raise ValueError(f"the amount {amount} is below zero")
    # a comment sent without sats (Fountain writes 0) carries no boost to show
    return (amount // 1000 if millisats else amount) or None


def boost_sender(sender: str) -> Listener:
    """A boost's sender as a listener, read as a boost export's sender cell is."""
    return listener_of([sender], _SENDER)


_SENDER = Columns(header=["sender"], single={"name": 0}, boosts=True)
