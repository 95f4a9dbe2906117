"""What kind of sentence a text is, read from its words alone: a question, a list introduction and how many
things it announces, an opening or closing of a quotation, a continuation of the sentence before, an
instruction, or boilerplate (contact data, a call to action, a mission statement, a signature). Also whether a
question asks what to do.
"""

from __future__ import annotations

import re

from assistant.language import STOP_WORDS

_CLOSERS = "\"'”’»)] "
_OPENING = re.compile(r'"[^"\s][^"]*$')  # the last straight quote mark opens a quotation
TOKEN = re.compile(r"[\w’'-]+")  # a word with its apostrophes and hyphens ("collega's", "ib'er")
_COUNT = r"(?:twee|drie|vier|vijf|zes|[2-6]|two|three|four|five|six)"  # how many things a sentence announces
_ANNOUNCES = re.compile(rf"\b({_COUNT})(?:\s+[\w’'-]+)?\s+[\w’'-]+\s*[.:]$", re.IGNORECASE)
_COUNTED = re.compile(rf"\b({_COUNT})\s+[\w’'-]+", re.IGNORECASE)
_NUMBERS = {"twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "two": 2, "three": 3, "four": 4, "five": 5}
_NUMBERS |= {"six": 6} | {str(n): n for n in range(2, 7)}
# Words a sentence starts with when it continues the one before it ("Maar dat is niet genoeg.").
_LEANS_BACK = frozenset(
    "en maar want dus of ook daarom daardoor daarmee daarna dan toch bovendien daarnaast zo dat dit die "
    "deze but and so also then this that these those".split()
)
# Words that open a subordinate clause: such a sentence without a comma has no main clause of its own ("Als iets
# dat er wel of niet is.", "Because they never asked."), so it finishes the sentence before it.
_SUBORDINATORS = frozenset(
    "als omdat zoals terwijl hoewel zodat doordat nadat voordat tenzij zodra alsof because although unless whereas "
    "as".split()
)

# Contact data, calls to action addressed to the reader, mission statements and signatures: a blog's sign-off,
# never an answer. Found by their structure (an address, a contact verb with "us/me", "we help…"), not by topic.
_CONTACT_DATA = re.compile(
    r"[\w.+-]+@[\w-]+\.\w|https?://|\bwww\.|\b[\w-]+\.(?:nl|com|org|net|be|eu|io)\b|(?:\+\d{2}|\b0)\d[\d \-]{7,}\d"
)
_CALL_TO_ACTION = re.compile(
    r"\bneem\b.*\bcontact\b|\bcontact\b.*\b(?:met|with) (?:ons|mij|me|us)\b|\bcontact(?:eer|formulier)"
    r"|\b(?:mail|bel|app|stuur|e-mail)\s+(?:ons|mij|me)\b|\bonderstaande knop\b|\bklik (?:hier|op)\b"
    r"|\bmeld je (?:\w+ )?aan\s*[.!]|\bschrijf je (?:\w+ )?in\s*[.!]|\b(?:get in touch|contact (?:us|me)|sign up)\b",
    re.IGNORECASE,
)
_MISSION = re.compile(
    r"\b(?:onze|mijn|our|my) (?:missie|mission)\b|\bmissie van [A-Z]"
    r"|\b(?:wij|we)\s+(?:helpen|ondersteunen|begeleiden|bieden|trainen|coachen|adviseren|help|support|offer)\b"
    r"|^(?:ik|wij|we)\s+(?:help|ondersteun|begeleid|bied|train|coach|adviseer|zorg voor)\b",
    re.IGNORECASE,
)
# Words that name no topic (articles, pronouns, adverbs such as "vaak"), less the verbs among them that open
# instructions ("Doe het binnen een dag.", "Geef erkenning.").
_FUNCTION_WORDS = STOP_WORDS - frozenset("doe maak geef vertel noem ga krijg".split())
# Words that open a Dutch statement rather than an instruction (the function words cover articles and pronouns).
_NOT_VERBS = frozenset(
    """
    elke elk iedere ieder daarom daarna daardoor daarmee daarnaast bovendien eerst soms nooit alleen vooral
    samen hier daar nu straks later vroeger toen meestal ooit pas zelfs juist misschien natuurlijk gelukkig
    helaas inmiddels vervolgens steeds iemand niemand iedereen alles niets veel weinig sommige beide
    twee drie vier vijf zes zeven acht negen tien wie wat welke waar wanneer hoe waarom
    """.split()
)
# Words that follow an instruction's verb directly: its object's article or pronoun ("Erken wat…", "Open het…").
_OBJECT_WORDS = frozenset("de het een wat dat je jezelf jouw hem haar ze hen elkaar alles".split())
# Finite verbs that follow a sentence's subject ("Vertrouwen is…", "Sander gaf…").
_FINITE = frozenset(
    """
    is was zijn waren wordt worden werd werden heeft hebben had hadden kan kunnen kon konden moet moeten moest
    moesten mag mogen mocht wil willen wilde wilden zal zullen zou zouden gaat gaan ging gingen komt komen kwam
    kwamen staat staan stond stonden ligt lag blijft blijven bleef bleven blijkt bleek doet doen deed deden
    zegt zeggen zei zeiden ziet zien zag zagen weet weten wist wisten krijgt krijgen kreeg kregen geeft gaf
    gaven neemt nam namen vraagt vroeg vroegen loopt liep liepen schrijft schreef sprak spraken begint begon
    begonnen houdt hield hielden leest las vindt vond vonden denkt dacht dachten brengt bracht koos kozen won
    keek keken hing schrok
    """.split()
)
_HOW = re.compile(
    r"\bhoe\b(?!\s+(?:komt|kwam|vaak|lang|groot|veel|ver|zit|zat|werkt|is|was|heet)\b)"
    r"|\bhow\b(?!\s+(?:come|often|long|much|many|big|does|is|was|are)\b)"
    r"|\bwat (?:kan|moet|doe|zeg) ik\b|\bwat (?:kun|moet) je (?:doen|zeggen)\b|\bwhat (?:can|should|do) i\b",
    re.IGNORECASE,
)


def asks_how(question: str) -> bool:
    """A question about what to do: "hoe pak ik…", "wat kan ik doen", "how do I…" (not "hoe komt dat"), or a
    situation told without a question ("Mijn team komt met alles bij mij."), which asks what to do about it."""
    return bool(_HOW.search(question)) or not question.rstrip(_CLOSERS).endswith("?")


def is_question(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith("?")


def introduces_list(text: str) -> bool:
    return text.rstrip().endswith(":")


def announced_count(text: str) -> int | None:
    """How many things a sentence announces: counted at its end ("Geen beoordeling, maar drie vragen.") or
    anywhere in a list introduction ("Deze vier stappen helpen je daarbij:"), if any."""
    text = text.rstrip(_CLOSERS)
    match = (_COUNTED if introduces_list(text) else _ANNOUNCES).search(text)
    return _NUMBERS[match.group(1).lower()] if match else None


def opens_quotation(text: str) -> bool:
    """A sentence that opens a quotation it does not close ('"Ik heb vervelend nieuws.')."""
    return text.count("“") > text.count("”") or (text.count('"') % 2 == 1 and bool(_OPENING.search(text)))


def closes_quotation(text: str) -> bool:
    return text.count("”") > text.count("“") or (text.count('"') % 2 == 1 and not _OPENING.search(text))


def leans_back(text: str) -> bool:
    """A sentence that continues the one before it ("Maar dat is niet genoeg.") is no thought on its own."""
    tokens = TOKEN.findall(text)
    if not tokens:
        return False
    opener = tokens[0].lower()
    clause_alone = opener in _SUBORDINATORS and "," not in text and not text.rstrip().endswith("?")
    return opener in _LEANS_BACK or clause_alone


def is_boilerplate(text: str) -> bool:
    """Contact data, a call to contact the author, a mission statement, or a signature line."""
    return bool(
        _CONTACT_DATA.search(text) or _CALL_TO_ACTION.search(text) or _MISSION.search(text)
    ) or _is_signature(text)


def _is_signature(text: str) -> bool:
    """A line of names without sentence punctuation: "René Rensen I De Onderwijskapitein"."""
    tokens = TOKEN.findall(text)
    if len(tokens) < 2 or text.rstrip(_CLOSERS)[-1:] in ".!?:;,…":
        return False
    return sum(t[0].isupper() for t in tokens) / len(tokens) >= 0.6


def is_instruction(text: str, names: frozenset[str] = frozenset()) -> bool:
    """A sentence in the imperative ("Zeg wat je ziet.", "Plan je mails in"): it opens with a verb stem.

    Dutch has no marker for it, so this goes by what an instruction is not: a statement opening with a function
    word, a plural noun or infinitive ("Vertrouwen is…"), an inflected adjective ("Nieuwe collega's…"), a name
    (``names``), or a subject followed by its finite verb.
    """
    tokens = TOKEN.findall(text)
    if len(tokens) < 2 or is_question(text) or not text[:1].isupper():
        return False
    first, second = tokens[0].lower(), tokens[1].lower()
    if first in _FUNCTION_WORDS or first in _NOT_VERBS or tokens[0] in names:
        return False
    if first.endswith(("'s", "’s")) or (first.endswith("e") and len(first) > 4):
        return False
    # "Vertrouwen groeit…" opens with a noun; "Erken wat je fout deed." with a verb stem ending in -en
    if first.endswith("en") and second not in _OBJECT_WORDS:
        return False
    if text[len(tokens[0]) : len(tokens[0]) + 1] in (",", ":"):
        return False
    if second in _FINITE or second in ("die", "en", "van", "of"):
        return False
    function_word = second in _FUNCTION_WORDS or second in _NOT_VERBS
    return function_word or len(second) <= 3 or not second.endswith(("t", "de", "te", "den", "ten"))


def announces(text: str) -> bool:
    return introduces_list(text) or announced_count(text) is not None


def adds_a_step(text: str) -> bool:
    """ "En wees bereid om te luisteren.": an instruction joined to the one before it."""
    tokens = TOKEN.findall(text)
    return (
        len(tokens) > 1
        and tokens[0].lower() in ("en", "and")
        and is_instruction(text[len(tokens[0]) :].strip().capitalize())
    )
