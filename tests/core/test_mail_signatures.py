"""Signatures without a "-- " line and legal notices: cut from a listener's mail."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_queue.importers import read_file
from qa_queue.importers.mail_signatures import without_signature

ASKS = "Is creatine safe if my creatinine is a bit high?"


@pytest.mark.parametrize(
    ("text", "sender", "kept"),
    [
        (  # Outlook: sign-off, name, the block, the employer's notice
            f"Hi,\n\n{ASKS}\n\nThanks so much,\nJane\n\nJane Doe | Senior Product Manager\n"
            "Acme Corporation\nMobile: +1 (555) 123-4567\nwww.acme.example.com\n\n"
            "CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and "
            "intended solely for the addressee.",
            "Jane Doe",
            f"Hi,\n\n{ASKS}\n\nThanks so much,\nJane",
        ),
        (
            f"{ASKS}\n\nBest regards,\nJane Doe\nSenior PM\nAcme Corp\n+1 555 123 4567",
            "Jane Doe",
            f"{ASKS}\n\nBest regards,\nJane Doe",
        ),
        (  # no sign-off: the name, then who they are
            f"{ASKS}\n\nJane Doe\nAcme Corp | +1 555 123 4567",
            "Jane Doe",
            f"{ASKS}\n\nJane Doe",
        ),
        (
            f"{ASKS}\n\nKind regards\n\nDr Jane Doe\nConsultant Cardiologist\nSt Mary's Hospital",
            "Jane Doe",
            f"{ASKS}\n\nKind regards\n\nDr Jane Doe",
        ),
        (
            f"{ASKS}\n\nMit freundlichen Grüßen\nJan Müller\nGeschäftsführer\nMüller GmbH\n"
            "Tel. +49 30 1234567",
            "Jan Müller",
            f"{ASKS}\n\nMit freundlichen Grüßen\nJan Müller",
        ),
        (
            f"{ASKS}\n\nThanks,\nJane\n\nDiese E-Mail enthält vertrauliche Informationen. Wenn Sie "
            "nicht der richtige Empfänger sind, informieren Sie bitte den Absender und löschen "
            "Sie diese E-Mail.",
            "Jane",
            f"{ASKS}\n\nThanks,\nJane",
        ),
        # the listener's own words after a sign-off stay: a P.S., a question, a sentence
        (f"{ASKS}\n\nCheers, Jane\n\nP.S. love the show www.x.com", "Jane", None),
        (f"{ASKS}\n\nThanks!\n\nI'm a nurse and I work nights, does that matter?", "Jane", None),
        (f"{ASKS}\n\nThanks!\n\nI'm a nurse.", "Jane", None),
        (  # a street address in the block
            f"{ASKS}\n\nThanks,\nJane\n\nJane Doe | Senior PM\nAcme Corporation\n"
            "1200 Market Street, Suite 400, San Francisco, CA 94103\n+1 (555) 123-4567",
            "Jane Doe",
            f"{ASKS}\n\nThanks,\nJane",
        ),
        (
            f"{ASKS}\n\nCordiali saluti,\nGiulia\n\nGiulia Rossi\nUfficio Acquisti – Azienda "
            "S.p.A.\nTel. +39 02 1234 5678\n\nLe informazioni contenute in questo messaggio sono "
            "riservate e confidenziali e ne è vietata la diffusione.",
            "Giulia Rossi",
            f"{ASKS}\n\nCordiali saluti,\nGiulia",
        ),
        # what a listener says after the sign-off is theirs, whatever its first word
        (
            f"{ASKS}\n\nThanks,\nJane\n\nThis message is confidential: please don't read my name "
            "on air, my employer listens.",
            "Jane",
            None,
        ),
        (
            f"{ASKS}\n\nThanks,\nJane\n\nDisclaimer: my surgeon said never lift over 20 kg.",
            "Jane",
            None,
        ),
        (
            f"{ASKS}\n\nThanks!\nSam\n\nReferences:\n1. https://pubmed.ncbi.nlm.nih.gov/28259850/\n"
            "2. https://doi.org/10.1136/bjsports-2016-097071",
            "Sam Lee",
            None,
        ),
        (
            f"{ASKS}\n\nThanks,\nMike\n\nHere's my program: https://docs.google.com/d/abc123",
            "Mike",
            None,
        ),
        # a notice that asks is no notice ("if you received this message in error, can…?")
        (f"{ASKS}\n\nIf you received this e-mail in error, is that my fault?", "Jane", None),
        # a first paragraph is never cut
        ("Thanks\nAcme Corp | +1 555 123 4567", "Jane", None),
        (f"{ASKS}\nJane Doe | Nurse | +1 555 123 4567", "Jane Doe", None),
    ],
)
def test_a_signature_block_and_a_legal_notice_are_cut(text, sender, kept):
    assert without_signature(text, sender) == (text if kept is None else kept)


def test_an_outlook_mail_loses_its_signature_and_notice(tmp_path):
    mail = tmp_path / "sig.eml"
    mail.write_text(
        "From: Jane Doe <jane.doe@acme.example.com>\nTo: show@podcast.example.com\n"
        "Subject: Creatine and kidneys\nDate: Fri, 27 Nov 2026 09:00:00 +0000\n"
        "Message-ID: <sig-1@example.com>\nContent-Type: text/plain; charset=utf-8\n\n"
        f"{ASKS}\n\nBest,\nJane\n\nJane Doe\nSenior Product Manager, Acme Corporation\n"
        "M: +1 (555) 123-4567 | www.acme.example.com\n\nThis message is confidential. If you "
        "have received this e-mail in error please notify the sender.\n",
        encoding="utf-8",
    )
    [question] = read_file(mail).questions
    assert question.body == f"{ASKS}\n\nBest,\nJane"
    assert "555" not in question.body and "Acme" not in question.body


LINE = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=60).filter(
    lambda line: line.strip()
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=4), st.lists(LINE, max_size=12), st.text(max_size=20))
def test_the_first_paragraph_and_every_line_that_asks_stay(first, rest, sender):
    text = "\n".join([*first, "", *rest])
    kept = without_signature(text, sender)
    assert kept.startswith("\n".join(first).rstrip())
    assert text.startswith(kept)
    for line in rest:
        if line.rstrip().endswith("?"):
            assert line.rstrip() in kept
