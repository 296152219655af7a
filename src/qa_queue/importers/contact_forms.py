"""A website contact form's notification e-mail: the listener is in the form's fields (and
Reply-To), never the service that sent it; the question is the form's message field.

Recognised by the sender (Squarespace, Wix, Typeform, Tally, Google Forms, Jotform), by what
WordPress form plugins write (Contact Form 7, WPForms, Gravity Forms, Ninja Forms), or, from
any other service, by a Reply-To that is not the sender together with labelled fields (a
message and a name or an e-mail address). Fields are read from "Label: value" lines, a label
alone on its line with the value below (Typeform, WPForms), and HTML tables, which
htmltext.py has already turned into "Label: value" lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model.question import name_without_contacts
from .columns import role_of

# sender domain (or address) -> service
_SENDERS = (
    ("squarespace.com", "Squarespace"),
    ("squarespace.info", "Squarespace"),
    ("wix.com", "Wix"),
    ("wixforms.com", "Wix"),
    ("wix-forms.com", "Wix"),
    ("wixsite.com", "Wix"),
    ("typeform.com", "Typeform"),
    ("typeform.io", "Typeform"),
    ("tally.so", "Tally"),
    ("forms-receipts-noreply@google.com", "Google Forms"),
    ("forms.google.com", "Google Forms"),
    ("jotform.com", "Jotform"),
    ("jotform.io", "Jotform"),
    ("jotformeu.com", "Jotform"),
    ("webflow.com", "Webflow"),
    ("hubspot.com", "HubSpot"),
    ("hsforms.com", "HubSpot"),
    ("formspree.io", "Formspree"),
    ("netlify.com", "Netlify Forms"),
    ("wufoo.com", "Wufoo"),
    ("formstack.com", "Formstack"),
    ("cognitoforms.com", "Cognito Forms"),
    ("paperform.co", "Paperform"),
    ("fillout.com", "Fillout"),
    ("forms.zohopublic.com", "Zoho Forms"),
    ("zohoforms.com", "Zoho Forms"),
    ("123formbuilder.com", "123FormBuilder"),
    ("formsite.com", "Formsite"),
    ("basin.com", "Basin"),
    ("usebasin.com", "Basin"),
    ("getform.io", "Getform"),
)
# what a WordPress plugin (or a service sending from the site's own address) writes
_MARKS = (
    (re.compile(r"sent from a contact form on", re.I), "Contact Form 7"),
    (re.compile(r"\bwpforms\b|^new entry:", re.I | re.M), "WPForms"),
    (re.compile(r"gravity ?forms|^new submission from ", re.I | re.M), "Gravity Forms"),
    (re.compile(r"ninja ?forms", re.I), "Ninja Forms"),
    (re.compile(r"^form submission - ", re.I), "Squarespace"),
    (re.compile(r"\bjotform\b", re.I), "Jotform"),
    (re.compile(r"\btally\.so\b", re.I), "Tally"),
    (re.compile(r"\btypeform\b", re.I), "Typeform"),
    (re.compile(r"\bformspree\b", re.I), "Formspree"),
    (re.compile(r"new form submission on ", re.I), "Webflow"),
)
# a sender no one answers (no-reply@, notifications@): with a message field and the listener's
# name or address among the fields, its mail is a form's notification, Reply-To or not
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|notifications?|forms?|mailer)\b", re.I)
_FIELDS = {
    "name": "name|your name|full name|what's your name|what is your name|your full name"
    "|nombre|nom|nome|nombre completo|ihr name|dein name",
    "first": "first name|given name|vorname|prénom|primer nombre",
    "last": "last name|surname|family name|nachname|apellido|apellidos|nom de famille",
    "email": "email|e-mail|email address|what's your email|what is your email"
    "|your email address|e-mail address|your email|your e-mail|mail"
    "|correo|correo electrónico|courriel|adresse e-mail|e-mail-adresse|reply to",
    "sender": "from|sender|von|de",  # Contact Form 7: "From: Amara Mensah <amara@…>"
    "subject": "subject|your subject|topic|betreff|asunto|objet|assunto|question title",
    "message": "message|your message|message body|question|your question|questions"
    "|comments|comment|details|inquiry|enquiry|how can we help|how can we help you"
    "|what would you like to ask|what's your question|nachricht|ihre nachricht|mensaje"
    "|tu mensaje|votre message|mensagem|sua mensagem|frage|pregunta|anliegen",
    # fields read only so the ones above end where these start
    "other": "phone|phone number|telephone|tel|website|company|address|date|time|page|url"
    "|ip|ip address|user agent|referer|referrer|submitted|submitted on|entry|entry id"
    "|form|form name|source|how did you hear about us|country|city|telefon|teléfono",
}
_LABEL_WORDS = {word: field for field, words in _FIELDS.items() for word in words.split("|")}
_LABEL = r"^\s*\*{0,2}(?P<label>[^\W\d_][\w '’/?.-]{0,40}?)\s*\*{0,2}\s*"
_LABELLED = re.compile(_LABEL + r":\s*(?P<value>.*)$")  # "Name: Amara Mensah"
_BARE = re.compile(_LABEL + r":?\s*$")  # "Name" alone, the value on the lines below
_EMAIL = re.compile(r"[^\s<>@\"',;:()]+@[^\s<>@\"',;:()]+\.[^\s<>@\"',;:()]+")
_FOOTER = re.compile(
    r"^\s*(?:--\s*$|this e-?mail was sent from|sent from .{0,40}(?:form|site|website)"
    r"|sent from [\w .'&-]{1,40}$|see all (?:responses|submissions|entries)"
    r"|you(?:'|’)?re receiving this|you are receiving this"
    r"|\(sent via |powered by |google forms:|unsubscribe"
    r"|this (?:e-?mail|message|notification) was|you can (?:view|see) (?:all|this|the)"
    r"|view (?:all |this )?(?:submission|entry|response)s?\b"
    r"|manage (?:your )?(?:form|notification)"
    r"|submitted (?:on |at )?\d|mark as spam|view (?:the )?contact record"
    r"|to change your (?:form )?notification)",
    re.I,
)


_RULE_AT_END = re.compile(r"(?:\n\s*[-_=*—]{3,}\s*)+$")  # Elementor's "---" under the last field


@dataclass
class FormSubmission:
    service: str  # "Squarespace", "Contact Form 7", …; "a website form" when not known
    name: str
    contact: str
    subject: str
    message: str


# a form column's role (columns.py, which knows labels in five languages) as a field here
_ROLE_FIELDS = {
    "name": "name",
    "first_name": "first",
    "last_name": "last",
    "email": "email",
    "title": "subject",
    "body": "message",
}


def _field(label: str) -> str | None:
    key = label.casefold().replace("(required)", "").replace("*", "").replace("’", "'")
    key = " ".join(key.split())
    return _LABEL_WORDS.get(key.rstrip("?. "))


def _phrased_field(label: str, line: str, found: dict[str, list[str]]) -> str | None:
    """A field whose label the services' own words above do not hold ("Comment or Message",
    "What would you like to ask us?"), recognised as a CSV column would be; only for a line
    that reads as a label and a field not met yet, so a line of the message stays in it."""
    if not line.rstrip().endswith(("?", ":")) and ":" not in line:
        return None
    field = _ROLE_FIELDS.get(role_of(label, exact=False) or "")
    return None if field in found else field


def fields(text: str) -> dict[str, str]:
    """The known fields of a notification's text, by what they are (name, email, message…)."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if _FOOTER.match(line):
            break
        labelled, bare = _LABELLED.match(line), _BARE.match(line)
        match = labelled if labelled and _field(labelled["label"]) else bare
        field = _field(match["label"]) if match else None
        if field is None and (match := labelled or bare) is not None:
            field = _phrased_field(match["label"], line, found)
        if match is not None and field is not None:
            current = [] if field == "other" or field in found else found.setdefault(field, [])
            value = match.groupdict().get("value")
            if value and value.strip():
                current.append(value.strip())
            continue
        if current is not None:
            current.append(line.rstrip())
    values = {key: _RULE_AT_END.sub("", "\n".join(lines)).strip() for key, lines in found.items()}
    return {key: value for key, value in values.items() if value}


def service_of(sender: str, subject: str, text: str) -> str | None:
    """The form service a notification came from, when it says so."""
    sender = sender.lower()
    domain = sender.rpartition("@")[2]
    for known, service in _SENDERS:
        if sender == known or domain == known or domain.endswith("." + known):
            return service
    for pattern, service in _MARKS:
        if pattern.search(subject) or pattern.search(text):
            return service
    return None


def submission(
    *,
    sender: str,
    reply_to: tuple[str, str],
    subject: str,
    plain: str,
    html: Callable[[], str],
) -> FormSubmission | None:
    """The form submission a notification e-mail carries; None when it is not one. The HTML
    part (`html`, made readable on demand) is read only for a message that may be one."""
    different = bool(reply_to[1]) and reply_to[1].lower() != sender.lower()
    different = different or bool(_NO_REPLY.match(sender))
    service = service_of(sender, subject, plain)
    if service is None and not different and plain.strip():
        return None  # the common case, a listener's own mail: no HTML to convert
    html_words = html()
    service = service or service_of(sender, subject, html_words)
    best: dict[str, str] = {}
    for text in (plain, html_words):  # whichever part has the most fields
        found = fields(text)
        if len(found) > len(best) or ("message" in found and "message" not in best):
            best = found
    signs = {"name", "first", "email"} & best.keys()
    if service is None and not (different and "message" in best and signs):
        return None
    if service is None:
        service = "a website form"
    if "message" not in best:
        return FormSubmission(service, "", "", "", "")  # recognised, but it asks nothing
    sender_field = best.get("sender", "")
    name = best.get("name") or " ".join(filter(None, (best.get("first"), best.get("last"))))
    name = name_without_contacts(" ".join((name or sender_field).split())) or reply_to[0]
    emails = [e for e in (best.get("email", ""), sender_field) if _EMAIL.search(e)]
    contact = _EMAIL.search(emails[0]).group(0) if emails else reply_to[1]  # type: ignore[union-attr]
    subject = " ".join(best.get("subject", "").split())
    return FormSubmission(service, name, contact, subject, best["message"])
