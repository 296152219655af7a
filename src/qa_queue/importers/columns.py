"""Which column of a CSV export holds what: header texts as form services write them (Google
Forms, Typeform, Tally, Jotform, Microsoft Forms, SurveyMonkey, Helipad) in English, German,
Spanish, French and Portuguese, the long phrasings people give their questions, and --map."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import BadInput
from ..model.question import Credit
from .column_groups import date_rank, name_part_role, option_columns, other_option_group

# What --map (and the app's "CSV columns") can name, and how the import report calls each.
LABELS = {
    "title": "subject",
    "body": "question",
    "name": "name",
    "first_name": "first name",
    "last_name": "last name",
    "email": "e-mail",
    "received_at": "received at",
    "clock": "time of day",
    "zone": "time zone",
    "tags": "tags",
    "credit": "credit",
    "ref": "id",
    "sats": "sats",
}
MAPPING_KEYS = tuple(LABELS)

# Header texts (normalised: lower case, end punctuation and remarks in brackets dropped).
EXACT = {
    "ignore": {
        "start date (utc)", "start date", "start time", "startzeit", "hora de inicio",
        "heure de début", "hora de início", "last modified time", "network id", "collector id",
        "ip address", "submission ip", "score", "custom data 1", "user agent", "ending",
        "response type", "value_sat_total", "value_msat_total", "count", "type", "action",
        "action_name", "app", "podcast", "episode", "remote_podcast", "remote_episode",
        "custom_key", "custom_value", "memo", "btc_close", "value_usd", "value_usd_total",
        "referrer name", "referrer", "task owner", "browser",
    },
    "received_at": {
        "timestamp", "submitted at", "submit date (utc)", "submit date", "submission date",
        "date submitted", "submitted on", "submission time", "completed at", "created at",
        "date", "completion time", "end date", "time", "created", "submitted",
        "marca temporal", "marca de tiempo", "fecha", "fecha de envío", "zeitstempel", "datum",
        "eingereicht am", "horodateur", "horodatage", "date de soumission", "date d'envoi",
        "carimbo de data/hora", "data/hora", "data", "enviado em", "added time", "date added",
        "added on", "last updated", "submission started", "entry date submitted",
        "entry date created", "created time", "created on", "received", "date received",
        "received at", "received on", "sent", "sent at", "date sent",
        "optin time", "confirm time",  # Mailchimp's audience export: when they signed up
    },
    "name": {
        "name", "your name", "full name", "your full name", "what's your name", "sender",
        "sender name", "nombre", "tu nombre", "su nombre", "nombre completo", "ihr name",
        "dein name", "vollständiger name", "nom", "votre nom", "nom complet", "nome",
        "seu nome", "o seu nome", "nome completo", "asked by", "submitted by", "from",
        "listener", "listener name", "listener's name", "who is asking", "who's asking",
        "your name or nickname", "name or nickname", "nickname",
    },
    "first_name": {
        "first name", "your first name", "given name", "vorname", "dein vorname", "prénom",
        "votre prénom", "primeiro nome", "nombre de pila", "name (first)", "name first",
    },
    "last_name": {
        "last name", "your last name", "surname", "family name", "nachname", "familienname",
        "apellido", "apellidos", "nom de famille", "sobrenome", "apelido", "último nome",
        "name (last)", "name last",
    },
    "email": {
        "email", "email address", "your email", "your email address", "e-mail",
        "e-mail address", "e-mail-adresse", "e-mail adresse", "correo", "correo electrónico",
        "dirección de correo electrónico", "courriel", "adresse e-mail", "adresse email",
        "adresse électronique", "endereço de e-mail", "endereço de email", "mail",
    },
    "title": {
        "subject", "title", "question title", "question subject", "headline", "betreff",
        "titel", "asunto", "título", "sujet", "objet", "titre", "assunto",
    },
    "body": {
        "question", "your question", "questions", "what would you like to ask",
        "what's your question", "what is your question", "ask us anything", "message",
        "your message", "frage", "deine frage", "ihre frage", "nachricht", "pregunta",
        "tu pregunta", "mensaje", "votre question", "pergunta", "sua pergunta",
        "a sua pergunta", "mensagem",
    },
    "tags": {
        "topic", "topics", "category", "categories", "tags", "tag", "thema", "kategorie",
        "tema", "categoría", "catégorie", "categoria",
    },
    "zone": {"timezone", "time zone", "zeitzone", "zona horaria", "fuseau horaire"},
    "sats": {"value_sat", "sats", "amount (sats)", "value_msat"},
    "ref": {
        "#", "response id", "submission id", "respondent id", "token", "id", "index",
        "unique id", "entry id", "entry number",
    },
}  # fmt: skip
_NAME_WORDS = r"(?:name|namen|nombre|nom|nome)"
# Keyword rules for headers no service wrote exactly like that; first match wins.
KEYWORDS = (
    (
        "credit",
        re.compile(
            r"credit|anonym|anónim|anônim|\bconsent|einverst|zustimm|permission|erlaubnis|"
            r"permiso|permissão|autoriz|shout[- ]?out|"
            r"(?:use|say|mention|read|share|print)\s+(?:out\s+)?your\s+(?:full\s+)?name|"
            # asked of the listener, not their name: "Can we mention you on air?"
            r"(?:mention|name|credit|thank|shout\s*out|identify)\s+you\b|shout\s+you\s+out|"
            r"\b(?:dich|sie|euch)\b.{0,30}\b(?:erwähnen|nennen)|"
            r"\b(?:mencionart\w*|nombrart\w*|citart\w*|mencion[aá]\w*\s+(?:a\s+)?(?:ti|usted|voc[eê]))|"
            r"\bvous\s+(?:citer|mentionner|nommer|remercier)|"
            r"\b(?:te|o|a)\s+(?:mencionar|citar)\b|"
            r"name\s+(?:on|in)\s+(?:the\s+)?(?:show|air|episode|podcast)|"
            r"\bnamen?\b.{0,40}\b(?:nennen|erwähnen|verwenden|sagen|vorlesen)|"
            r"(?:usar|decir|mencionar|citar|leer|citer|dire|lire|utiliser|mentionner|dizer|"
            r"falar|ler)\s+(?:\w+\s+){0,2}" + _NAME_WORDS
        ),
    ),
    ("zone", re.compile(r"\btime ?zone\b|zeitzone|zona horaria|fuseau|fuso")),
    ("sats", re.compile(r"\bsats?\b|satoshi")),
    ("title", re.compile(r"\b(?:subject|title|betreff|titel|asunto|t[ií]tulo|objet|assunto)\b")),
    (
        "tags",
        re.compile(r"\b(?:topics?|categor(?:y|ies)|tags?|thema|kategorie|tema|categor[ií]a)\b"),
    ),
    (
        "body",
        re.compile(
            r"\b(?:question|ask|message|anything else|details|context|frage|fragen|nachricht|"
            r"anliegen|pregunta|preguntar|mensaje|consulta|pergunta|perguntar|mensagem|"
            r"d[uú]vida|demande|quest[aã]o)\b"
        ),
    ),
    ("email", re.compile(r"e-?mail|correo|courriel")),
    (
        "received_at",
        re.compile(r"\b(?:timestamp|submitted|date|zeitstempel|datum|fecha|horodat\w*|carimbo)\b"),
    ),
    ("name", re.compile(r"\b" + _NAME_WORDS + r"\b")),
)
# a credit column asking whether to stay anonymous: there "yes" means anonymous
_ASKS_ANONYMOUS = re.compile(r"anonym|anónim|anônim")
_ASKS_NAME = re.compile(
    r"credit|use|say|mention|read|share|nennen|erwähnen|usar|citar|citer|utiliser|dizer|"
    r"mencion|nombr|nommer|thank|identify"
)
_REMARK = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# SurveyMonkey writes a second header row under the first
SUBHEADERS = {"response", "open-ended response", "other (please specify)", "responses"}


def normalise(header: str) -> str:
    return " ".join(header.casefold().replace("’", "'").split()).strip(" ?:*.¿¡")


def main_part(norm: str) -> str:
    """A header without its remarks: "your name (or leave blank to stay anonymous)"."""
    return _REMARK.sub("", norm).strip(" ?:*.¿¡-–") or norm


def role_of(header: str, exact: bool) -> str | None:
    norm = normalise(header)
    texts: tuple[str, ...] = (norm, main_part(norm))
    # a database's field name (Cognito's "Name_First", "Entry_DateSubmitted"): its words
    spaced = normalise(_CAMEL.sub(" ", header.replace("_", " ")))
    if spaced != norm:
        texts += (spaced,)
    if exact:
        # "Name (First)" is a part of a name, though without its remark it reads as the name
        if part := name_part_role(norm) or name_part_role(spaced):
            return part
        for text in texts:
            role = next((role for role, names in EXACT.items() if text in names), None)
            if role:
                return role
        return None
    for text in (texts[1], texts[0], *texts[2:]):
        role = next((role for role, pattern in KEYWORDS if pattern.search(text)), None)
        if role:
            return role
    return None


@dataclass
class Columns:
    """Which column holds what; `body` may be several (joined in order)."""

    single: dict[str, int] = field(default_factory=dict)
    # other columns for a person's name or address, read in a row where the chosen one is
    # empty (Typeform's hidden "name" and "email" beside the questions asking them)
    fallbacks: dict[str, list[int]] = field(default_factory=dict)
    body: list[int] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    credit_means_anonymous: bool = False  # the credit column asks "stay anonymous?"
    millisats: bool = False  # the amount is in millisatoshis (Helipad's value_msat)
    # the other columns of the tags question, split one per option (Mailchimp, SurveyMonkey)
    options: list[int] = field(default_factory=list)
    boosts: bool = False  # a boost export (Helipad's, Fountain's): sender, message, sats

    def describe(self) -> str:
        """'Timestamp' = received at, ...; not used: 'Score' (for the import report)."""
        used = {index: LABELS[role] for role, index in self.single.items()}
        used.update({index: "question" for index in self.body})
        used.update({index: "tags" for index in self.options})
        for role, others in self.fallbacks.items():
            first = _short(self.header[self.single[role]], 20)
            used.update({i: f"{LABELS[role]} where {first} is empty" for i in others})
        shown = [f"{_short(self.header[i])} = {used[i]}" for i in sorted(used)]
        unused = [_short(text) for i, text in enumerate(self.header) if i not in used and text]
        line = "columns: " + ", ".join(shown)
        if unused:
            line += "; not used: " + ", ".join(unused[:8]) + (" …" if len(unused) > 8 else "")
        return line


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def recognise(header: list[str]) -> Columns:
    columns = Columns(header=list(header))
    taken: set[int] = set()
    for exact in (True, False):
        for index, text in enumerate(header):
            role = None if index in taken else role_of(text, exact)
            if role == "body":
                columns.body.append(index)
            elif role == "ignore":
                pass
            elif role and role not in columns.single:
                columns.single[role] = index
            elif role in _GATHERED:
                columns.fallbacks.setdefault(role, []).append(index)
            else:
                continue
            taken.add(index)
    columns.body.sort()
    norms = [normalise(text) for text in header]
    if (tags := columns.single.get("tags")) is not None:
        # "Which topics? (Sleep)" and Wufoo's "Topics - Sleep": the question without its option
        questions = [main_part(norm).rsplit(" - ", 1)[0] for norm in norms]
        columns.options = option_columns(norms, questions, tags, taken)
        if not columns.options:  # a TAGS column of the list's own (Mailchimp) beside them
            tagged = [role_of(text, False) == "tags" for text in header]
            columns.options = other_option_group(norms, questions, taken, tags, tagged)
    _prefer_asked(columns)
    _prefer_sent(columns)
    _time_beside_date(columns)
    if "value_sat" in norms and "sats" in columns.single:  # Helipad writes both units
        columns.single["sats"] = norms.index("value_sat")
    _settle(columns)
    return columns


_PERSON = ("name", "email", "first_name", "last_name")
# roles whose other columns are read where the chosen one is empty
_GATHERED = (*_PERSON, "received_at")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")  # "email", "utm_source": a hidden field's name


def _prefer_asked(columns: Columns) -> None:
    """Of several columns for one role, the one asked of the listener ("What's your email
    address?") over a form's hidden field ("email", filled in by a link, often empty)."""
    for role, others in columns.fallbacks.items():
        if role not in _PERSON:
            continue
        chosen = columns.single[role]
        if _FIELD_NAME.fullmatch(columns.header[chosen].strip()):
            asked = [i for i in others if not _FIELD_NAME.fullmatch(columns.header[i].strip())]
            if asked:
                columns.single[role] = asked[0]
                others[others.index(asked[0])] = chosen


def _prefer_sent(columns: Columns) -> None:
    """Of several time columns, the one saying when the response was sent ('Date Created')
    over one saying when it was edited ('Last Updated'); the others fill a row it leaves empty."""
    others = columns.fallbacks.get("received_at")
    if not others:
        return
    ranked = sorted(
        [columns.single["received_at"], *others],
        key=lambda index: date_rank(normalise(columns.header[index])),
    )
    columns.single["received_at"], columns.fallbacks["received_at"] = ranked[0], ranked[1:]


_DATE_ONLY = {"date", "datum", "fecha", "data", "date received", "date submitted"}
_CLOCK = {"time", "hora", "heure", "uhrzeit", "zeit", "time received", "time submitted"}


def _time_beside_date(columns: Columns) -> None:
    """A "Date" column with a "Time" column beside it: the time of day is read from it."""
    date = columns.single.get("received_at")
    if date is None or normalise(columns.header[date]) not in _DATE_ONLY:
        return
    taken = {*columns.single.values(), *columns.body}
    for index, text in enumerate(columns.header):
        if index not in taken and normalise(text) in _CLOCK:
            columns.single["clock"] = index
            others = columns.fallbacks.get("received_at", [])
            if index in others:  # a time of day, never a date of its own
                others.remove(index)
            return


def _settle(columns: Columns) -> None:
    """What follows from the columns found: the credit question's sense, the amount's unit."""
    norms = [normalise(text) for text in columns.header]
    credit = columns.single.get("credit")
    if credit is not None:
        asked = main_part(norms[credit])
        columns.credit_means_anonymous = bool(
            _ASKS_ANONYMOUS.search(asked) and not _ASKS_NAME.search(asked)
        )
    sats = columns.single.get("sats")
    # an amount in sats as a wallet or app names it (Helipad's value_msat, Fountain's "Amount
    # (sats)"), not a form's question about sats: the rows are boosts, streams and comments
    columns.boosts = sats is not None and norms[sats] in EXACT["sats"]
    columns.millisats = sats is not None and norms[sats] == "value_msat"


def apply_mapping(columns: Columns, mapping: Mapping[str, str], name: str) -> None:
    """--map FIELD=COLUMN: the column by its header (whole, or a part only it has) or number."""
    header = columns.header
    for key, wanted in mapping.items():
        if key not in MAPPING_KEYS:
            raise BadInput(f"{name}: cannot map {key!r}; map one of {', '.join(MAPPING_KEYS)}")
        index = find_column(header, wanted, key, name)
        for role, other in list(columns.single.items()):
            if other == index:
                del columns.single[role]
                columns.fallbacks.pop(role, None)
        columns.body = [i for i in columns.body if i != index]
        # a tags column the host names is the one to read, alone
        columns.options = [] if key == "tags" else [i for i in columns.options if i != index]
        for others in columns.fallbacks.values():
            if index in others:
                others.remove(index)
        if key == "body":
            columns.body = [index]
        else:
            columns.single[key] = index
            columns.fallbacks.pop(key, None)  # the host named the one to read
        if key == "name":
            for half in ("first_name", "last_name"):
                columns.single.pop(half, None)
                columns.fallbacks.pop(half, None)
        elif key in ("first_name", "last_name") and "name" in columns.single:
            # the column taken for the whole name is the other half ("Name (First)")
            half = "last_name" if key == "first_name" else "first_name"
            columns.single.setdefault(half, columns.single.pop("name"))
            columns.fallbacks.pop("name", None)
    _settle(columns)


def find_column(header: list[str], wanted: str, key: str, name: str) -> int:
    norms = [normalise(text) for text in header]
    target = normalise(wanted)
    if target in norms:
        return norms.index(target)
    if target.isdigit() and 1 <= int(target) <= len(header):
        return int(target) - 1
    partly = [i for i, text in enumerate(norms) if target and target in text]
    if len(partly) == 1:
        return partly[0]
    shown = ", ".join(repr(text) for text in (header[i] for i in partly) if text)
    if partly:
        raise BadInput(f"{name}: {wanted!r} is in several columns ({shown}); name one whole")
    shown = ", ".join(repr(text) for text in header[:20])
    raise BadInput(f"{name}: no column {wanted!r} to map {key} to (columns: {shown})")


_ANON = re.compile(r"anon|anónim|anônim|no name|sin nombre|sans nom|sem nome|ohne namen")
_NO = re.compile(
    r"(?:no|nope|nein|non|não|nao|false|0|don't|do not|please don't|please do not|"
    r"bitte nicht|lieber nicht)\b"
)
_YES = re.compile(
    r"(?:yes|yep|sure|ok|okay|ja|sí|si|oui|sim|claro|gerne|natürlich|of course|bien sûr|"
    r"true|1|x|✓|✔|i agree|i consent|agree|d'accord|de acuerdo|concordo)\b"
)
_FULL = re.compile(r"full|vollständig|ganze[nr]? name|vollen? namen|complet|entero|inteiro")
_FIRST = re.compile(r"first|vorname|prénom|de pila|primeiro|solo (?:el|mi) nombre|só o nome")


def credit_from(answer: str, means_anonymous: bool = False) -> Credit:
    """How the listener said they may be named, in their words ("First name only", "Nein",
    "Oui, mon nom complet"); a question asking "stay anonymous?" turns yes and no round."""
    text = " ".join(answer.casefold().split())
    if not text:
        return Credit.FIRST
    if _ANON.search(text) and not re.match(r"(?:no|nein|non|não)\b", text):
        return Credit.ANONYMOUS
    if _FULL.search(text):
        return Credit.FULL
    if _FIRST.search(text):
        return Credit.FIRST
    if _NO.match(text):
        return Credit.FIRST if means_anonymous else Credit.ANONYMOUS
    if _YES.match(text):
        return Credit.ANONYMOUS if means_anonymous else Credit.FIRST
    return Credit.FIRST
