"""The signature a listener's mail client adds without a "-- " line, and the legal notice
their employer's server appends: not the listener's words, and full of what must not reach
show notes (a mobile number, an employer, a job title).

- A signature block: after the sign-off and the name under it ("Thanks so much,\\nJane"),
  lines that say who and where the sender is: their name again with a job title, a company,
  a phone number, a web or mail address, "|" or "•" between parts. The sign-off and the name
  stay (the listener's own words); the block under them goes. Without a sign-off, a last
  paragraph that starts with the sender's name and holds such lines goes after the name.
- A legal notice ("CONFIDENTIALITY NOTICE: This e-mail and any attachments…", "Diese E-Mail
  enthält vertrauliche…", "Ce message et toutes ses pièces jointes…") in a paragraph of its
  own after the listener's words: it and all below it go.

Only what follows the listener's words is looked at: a first paragraph is never cut, nor a
line that asks ("?"), nor a P.S.
"""

from __future__ import annotations

import re

# "Thanks so much,", "Best,", "Kind regards", "Cheers, Jane", "Mit freundlichen Grüßen"…
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:many |huge |big )?thanks?(?: (?:so|very) much| a lot| again| in advance)?"
    r"|thank you(?: (?:so|very) much| again| in advance)?|cheers|best|all the best"
    r"|(?:best|kind|warm|warmest|many) (?:regards|wishes)|regards|sincerely|yours(?: truly)?"
    r"|take care|love|greetings|respectfully|with gratitude|gratefully"
    r"|mit freundlichen grüßen|viele grüße|liebe grüße|beste grüße|lg|mfg|grüße"
    r"|cordialement|bien à vous|bien cordialement|merci(?: beaucoup)?|amitiés"
    r"|saludos(?: cordiales)?|un saludo|atentamente|gracias|muchas gracias"
    r"|abraços|atenciosamente|obrigad[oa]|cumprimentos"
    r"|met vriendelijke groet(?:en)?|groetjes|groeten|bedankt"
    r"|cordiali saluti|saluti|grazie(?: mille)?|un saluto"
    r"|pozdrawiam|dziękuję|med vänliga hälsningar|vänliga hälsningar|hälsningar|mvh|tack"
    r"|venlig hilsen|med venlig hilsen|hilsen|terveisin|kiitos|s pozdravem|děkuji"
    r"|saygılarımla|teşekkürler)"
    r"\s*(?:[,.!…-]+\s*(?P<name>[^\W\d_][\w.'’ -]{0,40}?)?)?[,.!]?\s*$",
    re.I,
)
_PHONE = re.compile(r"(?:\+|\b)\d[\d ().-]{6,}\d\b")
_LINK = re.compile(r"https?://|www\.|\b[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:com|org|net|io)\b")
_ROLE = re.compile(
    r"\b(?:manager|director|engineer|developer|designer|consultant|analyst|officer|ceo|cto|cfo"
    r"|coo|founder|co-founder|owner|president|partner|head of|lead|specialist|coordinator"
    r"|assistant|associate|professor|lecturer|researcher|student|nurse|physician|md|phd|rn"
    r"|dpt|pharmd|coach|trainer|inc|ltd|llc|gmbh|corp|corporation|company|university"
    r"|hospital|clinic|mobile|phone|tel|cell|fax|office|linkedin|twitter|instagram|pronouns"
    r"|she/her|he/him|they/them)\b",
    re.I,
)
_APART = re.compile(r"\s[|•·]\s")
_ASKS_OR_ADDS = re.compile(r"\?\s*$|^\s*p\.?\s?s\b", re.I)
# A legal notice names its readers and what they must not do: at least two of these, and no
# one speaking in it ("This message is confidential: please don't read my name" is a
# listener's request; "Disclaimer: my surgeon said…" is their story)
_LEGAL = re.compile(
    r"confidential|privileged|intended (?:solely |only )?for|addressee|recipient"
    r"|prohibited|unauthori[sz]ed|notify the sender|in error|delete (?:it|this|the)"
    r"|disclos|distribut|copying|legally|liability"
    r"|vertraulich|empfänger|irrtümlich|weitergabe|untersagt|löschen"
    r"|confidentiel|destinataire|par erreur|interdit|supprimer"
    r"|confidencial|destinatario|por error|prohibid|elimin"
    r"|riservat|errore|vietat|cancellar"
    r"|vertrouwelijk|geadresseerde|abusievelijk|verwijder|niet toegestaan",
    re.I,
)
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i’m|my|me|we|our|ich|mein|meine|mich|je|mon|ma|mes|moi|yo|mi|mis|io|ik|mijn)\b",
    re.I,
)
_NOTICE_OPENS = re.compile(
    r"^\s*(?:confidentiality notice|disclaimer|this (?:e-?mail|message|communication)|"
    r"the information (?:contained )?in this|diese (?:e-mail|nachricht)|ce (?:message|courriel)"
    r"|este (?:mensaje|correo)|esta mensagem|questo messaggio|dit (?:e-?mail)?bericht"
    r"|please consider the environment|virus-free|sitz der gesellschaft|aviso legal|avviso"
    r"|avvertenza|le informazioni contenute|les informations contenues|die informationen in"
    r"|as informações contidas|la información contenida|privileged and confidential"
    r"|hinweis|haftungsausschluss|clause de confidentialité|confidentialité)",
    re.I,
)
_SPEAKS = re.compile(r"\s*(?:i|i'm|i’m|im|i am|my|we|we're|our|me)\b", re.I)  # a sentence
_MAX_BLOCK = 14  # lines: a signature longer than this is something else


# a postal address: a number and a street word ("1200 Market Street, Suite 400", "C/ Mayor 1")
_STREET = re.compile(
    r"\b(?:street|st\.|avenue|ave\.?|road|rd\.|suite|floor|blvd|boulevard|lane|drive"
    r"|straße|strasse|str\.|platz|gasse|rue|calle|c/|avenida|rua|via|viale|piazza|strada"
    r"|straat|laan|weg|plein|gatan|vägen|ulica|ul\.)(?=\W|$)",
    re.I,
)


def _contact_line(line: str) -> bool:
    street = bool(_STREET.search(line)) and any(character.isdigit() for character in line)
    return bool(_PHONE.search(line) or _LINK.search(line) or _APART.search(line) or street)


def _says_who(line: str) -> bool:
    """A phone number, an address, parts set apart, or a short line naming a role or firm
    ("Senior Product Manager", "Acme Corp"; not "I'm a nurse and I work nights.")."""
    return _contact_line(line) or (
        len(line.split()) <= 6 and bool(_ROLE.search(line)) and not _SPEAKS.match(line)
    )


def _signature_line(line: str) -> bool:
    """Short, asking nothing, and no sentence: a signature's line, not the listener's
    ("Here's my program: https://…" and "References:" over a list of links are theirs)."""
    if _ASKS_OR_ADDS.search(line) or line.rstrip().endswith(":"):
        return False
    if len(line) > (140 if _contact_line(line) else 90):
        return False
    if _SPEAKS.match(line) or re.match(r"\s*(?:here|this|that|these)\b", line, re.I):
        return False
    return len(line.split()) <= 6 or _contact_line(line)


def _paragraph_starts(lines: list[str]) -> list[int]:
    return [
        index
        for index, line in enumerate(lines)
        if line.strip() and (index == 0 or not lines[index - 1].strip())
    ]


def _notice(paragraph: str) -> bool:
    if _FIRST_PERSON.search(paragraph) or not _NOTICE_OPENS.match(paragraph):
        return False
    cues = {match.group(0).casefold() for match in _LEGAL.finditer(paragraph)}
    return len(cues) >= 2 or paragraph.lower().lstrip().startswith(
        ("please consider the environment", "virus-free", "sitz der gesellschaft")
    )


def _without_notice(lines: list[str]) -> list[str]:
    for start in _paragraph_starts(lines)[1:]:
        end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
        if _notice(" ".join(lines[start:end])) and not any(
            _ASKS_OR_ADDS.search(line) for line in lines[start:]
        ):
            return lines[:start]
    return lines


def _names(sender: str) -> set[str]:
    words = sender.casefold().split()
    return {sender.casefold().strip(), words[0]} if words else set()


def _block_after(lines: list[str], start: int) -> bool:
    """Whether everything from `start` on is a signature block."""
    rest = [line for line in lines[start:] if line.strip()]
    return (
        0 < len(rest) <= _MAX_BLOCK
        and all(_signature_line(line) for line in rest)
        and any(_says_who(line) for line in rest)
    )


def _a_name(line: str) -> bool:
    """A line that is only a name ("Jane", "Dr Jane Doe"), as under a sign-off."""
    return len(line.split()) <= 4 and len(line.strip()) <= 40 and not _says_who(line)


def _named(line: str, names: set[str]) -> bool:
    return line.strip().strip(",.!").casefold() in names


def _name_leads(line: str, names: set[str]) -> bool:
    """ "Jane Doe | Senior Product Manager", "Jane Doe, MD": the name, then who they are."""
    folded = line.strip().casefold()
    return any(
        folded.startswith(name) and _says_who(line[len(line) - len(line.lstrip()) + len(name) :])
        for name in names
    )


def _after_sign_off(lines: list[str], start: int) -> int | None:
    """Where the signature block under the last sign-off (and the name under it) starts, or
    None when there is no sign-off after `start` with only a block under it."""
    for index in range(len(lines) - 1, start - 1, -1):
        sign_off = _SIGN_OFF.match(lines[index])
        if sign_off is None:
            continue
        # the sign-off's own name ("Cheers, Jane") or the line under it is the name
        under = index + 1
        if not sign_off.group("name"):
            named = next((i for i in range(under, len(lines)) if lines[i].strip()), None)
            if named is not None and named - under <= 1 and _a_name(lines[named]):
                under = named + 1
        return under if _block_after(lines, under) else None
    return None


def _after_name(lines: list[str], start: int, names: set[str]) -> int | None:
    """Where the block under the sender's name starts, when a paragraph after `start` starts
    with their name and only the block follows; None otherwise."""
    for index in reversed(_paragraph_starts(lines)):
        if index < start:
            break
        if _named(lines[index], names) and _block_after(lines, index + 1):
            return index + 1
        if _name_leads(lines[index], names) and _block_after(lines, index):
            return index
    return None


def without_signature(text: str, sender: str = "") -> str:
    """The listener's text without the signature block and legal notice under it."""
    lines = _without_notice(text.split("\n"))
    starts = _paragraph_starts(lines)
    if not starts:
        return text.rstrip()
    # the first paragraph is never cut
    first_end = next((i for i in range(starts[0], len(lines)) if not lines[i].strip()), len(lines))
    names = _names(sender)
    cut = _after_sign_off(lines, first_end)
    if cut is None and names:
        cut = _after_name(lines, first_end, names)
    return "\n".join(lines if cut is None else lines[:cut]).rstrip()
