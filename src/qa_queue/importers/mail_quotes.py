"""The listener's own words in an e-mail: the quoted original, client header blocks and the
signature left out.

Cut at, in English, German, French, Spanish, Portuguese, Dutch and Italian:
- an attribution line: Gmail's "On Tue, 10 Nov 2026 at 09:12, Austin <a@b> wrote:" (often
  wrapped onto two lines), Apple Mail's "On 9 Nov 2026, at 09:12, Austin wrote:",
  Thunderbird's "On 09/11/2026 09:12, Austin wrote:", "Am … schrieb …:", "Le … a écrit :",
  "El … escribió:", "Em … escreveu:";
- Outlook's header block ("From: / Sent: / To: / Subject:", "Von: / Gesendet: / An: /
  Betreff:", "De: / Enviado: / Para: / Asunto:", "De : / Envoyé : / À : / Objet :"…) and its
  "-----Original Message-----" or underscore line;
- a signature: the "-- " line, and the footers phones and apps add ("Sent from my iPhone",
  "Get Outlook for iOS", "Von meinem iPhone gesendet"…).

Lines starting with ">" are quoted and left out wherever they are; the listener's text after
them is kept (inline replies). Sign-offs ("Thanks, Priya") are the listener's words and stay.

A listener's first paragraph that opens with their own words is never cut, whatever it says
("On Monday my coach wrote: …", "From: what I read…"): inside it only an unmistakable
separator line (a "-- " line, "-----Original Message-----", an Outlook header block of three
labelled lines or more) ends the text.
"""

from __future__ import annotations

import re

_ATTRIBUTION = re.compile(
    r"^\s*>?\s*(?:on|am|le|el|em|op|il|den|w dniu|dne)\b.{0,300}?"
    r"\b(?:wrote|schrieb|a\s+écrit|escribió|escreveu|schreef|ha\s+scritto|skrev|napisał|napsal)"
    r"(?:\s.{0,200}?)?\s*:\s*$",  # German: "… schrieb Austin <a@b>:"
    re.I,
)
_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine"
    r"|mensaje original|mensagem original|oorspronkelijk bericht|messaggio originale"
    r"|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado"
    r"|mensagem encaminhada)\s*-{2,}|_{10,}|-{10,})\s*$",
    re.I,
)
_SIGNATURE = re.compile(r"^--\s?$")
# the app's link, as a plain-text part writes it: "Get Outlook for Android<https://aka.ms/…>"
_LINK = re.compile(r"\s*[<(\[]?https?://[^\s>)\]]*[>)\]]?")
_FOOTER = re.compile(
    r"^\s*(?:sent from (?:my )?[\w .'-]{1,40}|sent via [\w .'-]{1,40}"
    r"|get outlook for (?:ios|android|mac|windows)[\w .]*"
    r"|von meinem [\w .'-]{1,40} gesendet|gesendet von [\w .'-]{1,40}"
    r"|envoyé de(?:puis)? mon [\w .'-]{1,40}|enviado desde mi [\w .'-]{1,40}"
    r"|enviado do meu [\w .'-]{1,40}|verzonden (?:vanaf|met) [\w .'-]{1,40}"
    r"|inviato da(?:l mio)? [\w .'-]{1,40}"
    # webmail and app footers: WP.pl, Onet, Interia, GMX, web.de, Yahoo, Proton
    r"|wiadomość wysłana z [\w .'|:/-]{1,60}|wysłane z [\w .'-]{1,40}"
    r"|gesendet mit der [\w .'-]{1,40}|sent with [\w .'-]{0,20}(?:proton|tutanota)[\w .'-]*"
    r"|yahoo mail: [\w .,'-]{1,60}|enviado con [\w .'-]{1,40})\s*$",
    re.I,
)
# Outlook's labels, by what they stand for; "De :" (French) has a space before the colon.
_LABELS = {
    "from": r"from|von|de|van|da|od",
    "sent": r"sent|date|gesendet|datum|enviado|envoyé|enviada|data|verzonden|inviato|fecha",
    "to": r"to|an|para|à|a|aan|per",
    "cc": r"cc|kopie|cci|bcc",
    "subject": r"subject|betreff|asunto|objet|assunto|onderwerp|oggetto",
}
_LABEL = re.compile(
    r"^\s*\*?(?P<label>"
    + "|".join(f"(?P<{key}>{words})" for key, words in _LABELS.items())
    + r")\s?\*?\s?:\*?(?:\s|$)",
    re.I,
)


def _label(line: str) -> str | None:
    match = _LABEL.match(line)
    if match is None:
        return None
    return next(key for key in _LABELS if match.group(key) is not None)


def _header_block(lines: list[str], index: int) -> int:
    """How many distinct Outlook labels the block starting at `index` has (0: none); the
    block starts with "From:" and runs over consecutive labelled lines."""
    if _label(lines[index]) != "from":
        return 0
    seen = {"from"}
    for line in lines[index + 1 : index + 8]:
        label = _label(line)
        if label is None:
            if line.strip():
                continue  # a long "To:" list wrapped onto the next line
            break
        seen.add(label)
    return len(seen) if {"sent", "subject"} & seen else 0


def _attribution(lines: list[str], index: int) -> bool:
    """ "On Tue, 10 Nov 2026, Austin <a@b> wrote:", which clients often wrap onto two lines."""
    line = lines[index]
    if _ATTRIBUTION.match(line):
        return True
    if index + 1 < len(lines) and line.strip() and lines[index + 1].strip():
        return bool(_ATTRIBUTION.match(line + " " + lines[index + 1]))
    return False


def separates(lines: list[str], index: int) -> bool:
    """Whether the line is an unmistakable separator, which ends the text anywhere."""
    line = lines[index]
    return bool(
        _SIGNATURE.match(line) or _SEPARATOR.match(line) or _header_block(lines, index) >= 3
    )


def _cut(lines: list[str], index: int) -> bool:
    line = lines[index]
    return (
        separates(lines, index)
        or _attribution(lines, index)
        or bool(_FOOTER.match(_LINK.sub("", line)))
        or _header_block(lines, index) >= 2
    )


def opens_with_a_marker(text: str) -> bool:
    """Whether the text's first line is itself a cut (nothing of the listener's before it)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return bool(lines) and _cut(lines, 0)


def question_text(text: str) -> str:
    """The listener's own words: quoted text, client header blocks and the signature left out."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    started = in_first = False  # the listener has written a line; inside their first paragraph
    for index, line in enumerate(lines):
        quoted = line.lstrip().startswith(">")
        if in_first and not line.strip():
            in_first = False
        if separates(lines, index) if in_first else _cut(lines, index):
            break
        if not started and not quoted and line.strip():
            started = in_first = True
        if not quoted:
            kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
