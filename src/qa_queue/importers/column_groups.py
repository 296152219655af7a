"""Columns of a form export that belong together: the parts of a split name, the time
columns of one response (which of them says when it was sent), and the columns of one
multi-choice question split one per option."""

from __future__ import annotations

import re

# A name asked in parts, one column each, as builders head them: "Name - First" (Wufoo),
# "Name (Last)" (Gravity Forms, Formstack), "Your Name: First", "Name_First" (Cognito)
_NAME_PART = re.compile(
    r"(?:your\s+)?(?:full\s+)?(?:name|nombre|nom|nome)\s*(?:[-–:/_(\[]\s*)?"
    r"(?P<part>first|given|last|family|surname|prefix|title|middle|suffix)\s*[)\]]?"
)
_PARTS = {"first": "first_name", "given": "first_name", "last": "last_name"}
_PARTS.update(family="last_name", surname="last_name")


def name_part_role(norm: str) -> str | None:
    """first_name or last_name for one part of a split name; "ignore" for the others (a
    prefix or suffix is no name, and must not become the whole name); None for no part."""
    match = _NAME_PART.fullmatch(norm)
    return None if match is None else _PARTS.get(match["part"], "ignore")


# when a time column was written: an edit or the start of filling in is not when it was sent
_LATER_OR_EARLIER = re.compile(r"updat|modif|edit|chang|start|begun|began|opened|viewed")
_SENT = re.compile(r"creat|submi|complet|receiv|sent|added|entry|timestamp|finish|end date")


def date_rank(norm: str) -> int:
    """How surely a time column says when a response was sent: 0 created or submitted, 1 a
    plain date, 2 last updated or started (Wufoo's 'Last Updated' is empty until an edit)."""
    if _LATER_OR_EARLIER.search(norm):
        return 2
    return 0 if _SENT.search(norm) else 1


def option_columns(
    norms: list[str], questions: list[str], chosen: int, taken: set[int]
) -> list[int]:
    """The other columns of the multi-choice question in column `chosen`, when a builder splits
    it one column per option: the same question with the option in brackets (Mailchimp's
    "Which topics interest you? (Sleep)", "… (Nutrition)"), or columns with no header after
    it (SurveyMonkey's, whose options head them in its second header row).
    `norms` are the headers normalised, `questions` the same without their brackets."""
    group = [
        index
        for index, question in enumerate(questions)
        if index != chosen
        and index not in taken
        and question == questions[chosen]
        and norms[index] != question  # an option in brackets
    ]
    after = chosen + 1
    while after < len(norms) and not norms[after] and after not in taken:
        group.append(after)
        after += 1
    return sorted(group)


def other_option_group(
    norms: list[str], questions: list[str], taken: set[int], tags: int, tagged: list[bool]
) -> list[int]:
    """The columns of a multi-choice topics question split one per option (`tagged`: the
    columns whose header names tags or topics), when another column took the tags role
    first (Mailchimp's own TAGS): its columns are tags too."""
    for index, is_tags in enumerate(tagged):
        if index in taken or index == tags or not is_tags:
            continue
        group = option_columns(norms, questions, index, taken)
        if group:
            return sorted([index, *group])
    return []
