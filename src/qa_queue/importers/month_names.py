"""Month names as mail clients write them in a forwarded header block, in the languages
listeners write in, made English for the date parser (which knows only English ones):
"20. marraskuuta 2026 10.15" (Finnish), "20 listopada 2026" (Polish), "20. listopadu 2026"
(Czech), "20 Kasım 2026" (Turkish), "26. März 2026" (German)."""

from __future__ import annotations

import re

_ENGLISH = ["January", "February", "March", "April", "May", "June", "July", "August"]
_ENGLISH += ["September", "October", "November", "December"]
# the start of each month's name, in every form (Polish and Czech decline them), by language:
# Finnish, Polish, Czech, Turkish, German, French, Spanish, Portuguese, Italian, Dutch, Nordic
_STEMS: tuple[tuple[str, ...], ...] = (
    ("tammikuu", "stycz", "led", "ocak", "januar", "janv", "ene", "janeiro", "genn", "jan"),
    ("helmikuu", "lut", "únor", "unor", "února", "şubat", "subat", "febr", "févr", "fever"),
    ("maaliskuu", "marc", "marz", "břez", "brez", "mart", "märz", "mars", "março", "maart"),
    ("huhtikuu", "kwie", "dub", "nisan", "avril", "abril", "aprile", "apr"),
    ("toukokuu", "maj", "květ", "kvet", "mayıs", "mayis", "mai", "mayo", "maio", "magg", "mei"),
    (
        "kesäkuu",
        "czerw",
        "červen",
        "června",
        "cervna",
        "haziran",
        "juin",
        "junio",
        "junho",
        "giugno",
        "jun",
    ),
    ("heinäkuu", "lip", "červenec", "července", "temmuz", "juil", "julio", "julho", "lugl", "jul"),
    ("elokuu", "sierp", "srp", "ağustos", "agustos", "août", "aout", "agost", "aug"),
    ("syyskuu", "wrze", "září", "zari", "eylül", "eylul", "sept", "sett", "setem"),
    ("lokakuu", "paźdz", "pazdz", "říj", "rij", "ekim", "oct", "okt", "ott", "outu"),
    ("marraskuu", "listopad", "kasım", "kasim", "nov"),
    ("joulukuu", "grud", "prosin", "aralık", "aralik", "déc", "dec", "dic", "dez"),
)
# weekdays that start like a month ("martes" like Turkish "mart"): never months
_WEEKDAYS = ("martes", "martedì", "martedi", "mardi", "maanantai", "maandag")
_WORD = re.compile(r"[^\W\d_]{3,}")
_DOTTED_TIME = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})(?![\d.])")  # Finnish "klo 10.15"


def _english(word: str) -> str:
    folded = word.casefold()
    if folded.startswith(_WEEKDAYS):
        return word
    for number, stems in enumerate(_STEMS):
        if any(folded.startswith(stem) for stem in stems):
            # "červenec" (July) starts like "červen" (June): the longer one decides
            longest = max((stem for stem in stems if folded.startswith(stem)), key=len)
            clash = [
                (len(stem), index)
                for index, others in enumerate(_STEMS)
                for stem in others
                if folded.startswith(stem) and len(stem) > len(longest)
            ]
            return _ENGLISH[max(clash)[1]] if clash else _ENGLISH[number]
    return word


def in_english(text: str) -> str:
    """The text with month names made English and a dotted time ("10.15") made "10:15"."""
    text = _WORD.sub(lambda match: _english(match.group(0)), text)
    return _DOTTED_TIME.sub(r"\1:\2", text)
