"""The lines mail clients write around the original they quote, in the languages listeners
write in: English, German, French, Spanish, Portuguese, Dutch, Italian, Polish, Swedish,
Danish, Norwegian, Finnish, Czech and Turkish.

- an attribution line: Gmail's "On Tue, 10 Nov 2026 at 09:12, Austin <a@b> wrote:" (often
  wrapped onto two lines), Apple Mail's "On 9 Nov 2026, at 09:12, Austin wrote:",
  Thunderbird's "On 09/11/2026 09:12, Austin wrote:", "Am … schrieb …:", "W dniu … pisze:",
  "Austin <a@b> kirjoitti ke 25.11.2026 klo 9.14:", "… tarihinde şunu yazdı:", and mutt's
  bare "Austin wrote:" above a quote;
- Outlook's header block ("From: / Sent: / To: / Subject:", "Von: / Gesendet: / An: /
  Betreff:", "Od: / Wysłano: / Do: / Temat:", "Från: / Skickat: / Till: / Ämne:"…), its
  "-----Original Message-----" and Zimbra's "----- Mail original -----" lines, Outlook's
  underscore rule, GroupWise's ">>> Austin <a@b> 23-11-2026 13:00 >>>";
- a signature: the "-- " line, and the footers phones and apps add ("Sent from my iPhone",
  "Get Outlook for iOS", "Von meinem iPhone gesendet"…).
"""

from __future__ import annotations

import re

_VERBS = (
    r"wrote|writes|schrieb|a\s+écrit|escribió|escreveu|schreef|ha\s+scritto|skrev"
    r"|napisał(?:a|\(a\))?|pisze|napsal(?:a|\(a\))?|kirjoitti|yazdı"
)
# "On …", "Am …", "W dniu …": a leading word says it is one, whatever else the line holds
_LED = re.compile(
    r"^\s*(?:on|am|le|el|em|op|il|den|w dniu|dne)\b.{0,300}?"
    rf"\b(?:{_VERBS})(?:\s.{{0,200}}?)?\s*:\s*$",  # German: "… schrieb Austin <a@b>:"
    re.I,
)
# Without one ("Austin <a@b> kirjoitti ke 25.11.2026 klo 9.14:", "tir. 24. nov. 2026 kl.
# 09:14 skrev Austin <a@b>:"): a date and a time in it, the verb, a colon at the end, and
# after the verb nothing, a name, an address or the time ("wrote me on … the following:" is
# the listener's)
_DATED = re.compile(rf"^\s*[^>\s].{{0,300}}?\b(?:{_VERBS})(?P<after>\s.{{0,120}}?)?\s*:\s*$", re.I)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_DATE = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[./-] ?\d{1,2}[./-] ?\d{2,4}\b")
_WORD = r"[\"'(]*[^\W\d_][\w.'-]*[\"')]*"
_NAME = re.compile(rf"{_WORD}(?:\s+{_WORD}){{0,3}}")  # up to four words
_ENDS_WITH_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*$")
# mutt's "Austin wrote:", "austin@x.com writes:", "* Austin <a@b> [2026-11-25 09:14]:": only
# above a quote, and never "My coach wrote:" (a listener's own words about someone)
_BARE = re.compile(
    rf"^\s*(?P<who>[^\s>*][^:]{{0,100}}?)\s+(?:{_VERBS})\s*:\s*$"
    r"|^\s*\*\s+(?P<mutt>[^:]{1,100}?)\s+\[[^\]]{4,40}\]\s*:\s*$",
    re.I,
)
_NOT_A_NAME = re.compile(
    r"^(?:my|our|your|his|her|their|the|a|an|this|that|someone|somebody|he|she|they|i|we"
    r"|you|it|mein|meine|mon|ma|mi|mijn|il|lo|la)\b",
    re.I,
)
# Outlook's "-----Original Message-----", Zimbra's "----- Mail original -----", Thunderbird's
# "-------- Originalnachricht --------", in their languages
_ORIGINALS = (
    r"original message|ursprüngliche nachricht|originalnachricht|ursprüngliche mail"
    r"|message d'origine|mail original|message original|mensaje original|mensagem original"
    r"|oorspronkelijk bericht|origineel bericht|messaggio originale|wiadomość oryginalna"
    r"|oryginalna wiadomość|ursprungligt meddelande|oprindelig meddelelse|opprinnelig melding"
    r"|alkuperäinen viesti|původní zpráva|özgün ileti|orijinal mesaj"
)
_FORWARDED = (
    r"forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado"
    r"|mensagem encaminhada|messaggio inoltrato|doorgestuurd bericht|vidarebefordrat meddelande"
    r"|videresendt meddelelse|videresendt melding|välitetty viesti|przekazana wiadomość"
    r"|přeposlaná zpráva|iletilen ileti"
)
# The rule above an original a reply quotes, or a forward carries when its subject says so
# (Outlook writes the same rule for both)
ORIGINAL_RULE = re.compile(rf"^\s*(?:-{{2,}}\s*(?:{_ORIGINALS})\s*-{{2,}}|_{{10,}})\s*$", re.I)
# the rule only forwards are marked with
FORWARD_RULE = re.compile(rf"^\s*-{{2,}}\s*(?:{_FORWARDED})\s*-{{2,}}\s*$", re.I)
_SEPARATOR = re.compile(
    rf"^\s*(?:-{{2,}}\s*(?:{_ORIGINALS}|{_FORWARDED})\s*-{{2,}}|_{{10,}}|-{{10,}})\s*$", re.I
)
# GroupWise puts the original under this line without quoting it
_GROUPWISE = re.compile(r"^>>>\s.{1,200}\s>>>\s*$")
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
    "from": r"from|von|de|van|da|od|från|fra|lähettäjä|kimden",
    "sent": r"sent|date|gesendet|datum|enviado el|enviado|envoyé|enviada em|enviada|data"
    r"|verzonden|inviato|fecha|wysłano|skickat|sendt|dato|lähetetty|odesláno|gönderildi"
    r"|tarih",
    "to": r"to|an|para|à|a|aan|per|do|till|til|vastaanottaja|komu|kime",
    "cc": r"cc|kopie|cci|bcc|dw|kopia|kopio|bilgi",
    "subject": r"subject|betreff|asunto|objet|assunto|onderwerp|oggetto|temat|ämne|emne|aihe"
    r"|předmět|konu",
    "reply-to": r"reply-to|antwort an|répondre à|responder a|responder para",
}
# "From:", "*From:*" (bold in a plain-text part), "**From:**" (Markdown)
_LABEL = re.compile(
    r"^\s*\*{0,2}(?P<label>"
    + "|".join(f"(?P<{key.replace('-', '_')}>{words})" for key, words in _LABELS.items())
    + r")\s?\*{0,2}\s?:\*{0,2}(?:\s+|$)(?P<value>.*)$",
    re.I,
)


def quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def field(line: str) -> tuple[str, str] | None:
    """(what the label stands for: "from", "sent", "to", "cc", "subject" or "reply-to", the
    value) of a mail header line as clients write it in a quoted or forwarded block."""
    match = _LABEL.match(line)
    if match is None:
        return None
    key = next(key for key in _LABELS if match.group(key.replace("-", "_")) is not None)
    return key, match.group("value").strip()


def _label(line: str) -> str | None:
    found = field(line)
    return found[0] if found else None


def header_block(lines: list[str], index: int) -> int:
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


def _dated_attribution(line: str) -> bool:
    if _LED.match(line):
        return True
    match = _DATED.match(line)
    if match is None or not (_TIME.search(line) and _DATE.search(line)):
        return False
    after = (match.group("after") or "").strip()
    return (
        not after
        or "@" in after
        or bool(_ENDS_WITH_TIME.search(after))
        or bool(_NAME.fullmatch(after) and all(word[:1].isupper() for word in after.split()))
    )


def _bare_attribution(line: str) -> bool:
    match = _BARE.match(line)
    if match is None:
        return False
    who = (match.group("who") or match.group("mutt") or "").strip("\"' ")
    if "@" in who:
        return True
    return len(who.split()) <= 4 and not _NOT_A_NAME.match(who)


def quote_follows(lines: list[str], index: int) -> bool:
    """Whether the first line with text at or after `index` is quoted."""
    for line in lines[index:]:
        if line.strip():
            return quoted(line)
    return False


def attribution(lines: list[str], index: int) -> int:
    """How many lines the attribution starting at `index` takes (0: it is none). Clients
    often wrap one onto two lines; mutt's bare "Austin wrote:" counts only above a quote."""
    line = lines[index]
    if not line.strip() or quoted(line):
        return 0
    if _dated_attribution(line):
        return 1
    if _bare_attribution(line) and quote_follows(lines, index + 1):
        return 1
    if index + 1 >= len(lines):
        return 0
    tail = lines[index + 1]
    if not tail.strip() or quoted(tail) or len(tail) > 80 or _dated_attribution(tail):
        return 0  # a tail that is an attribution itself: this line is the listener's
    return 2 if _dated_attribution(line + " " + tail) else 0


def separates(lines: list[str], index: int) -> bool:
    """Whether the line is an unmistakable separator, which ends the text anywhere."""
    line = lines[index]
    return bool(
        _SIGNATURE.match(line)
        or _SEPARATOR.match(line)
        or _GROUPWISE.match(line)
        or header_block(lines, index) >= 3
    )


def ends_text(lines: list[str], index: int) -> bool:
    """Whether the listener's text ends at this line (attributions aside): a separator, a
    footer, an Outlook header block of two labels or more."""
    return (
        separates(lines, index)
        or bool(_FOOTER.match(_LINK.sub("", lines[index])))
        or header_block(lines, index) >= 2
    )
