"""The vocabulary of the manipulation guard: word classes and clause structure its patterns are built from.

Each class is a regular-expression fragment (a string) naming one kind of word the patterns in guard_limits,
guard_commands and guard_takeover combine: the assistant's configuration and sources, fillers between a verb
and its object, the leader's own working world, ways to address the assistant, and where a clause ends.
"""

from __future__ import annotations

import re

FLAGS = re.IGNORECASE

# --- Word classes ------------------------------------------------------------------------------------------------

# Words that may stand between a verb and its object without changing what the object is: articles, the
# assistant's possessives, quantifiers and the adjectives injections use ("al je eerdere", "all of your previous").
# "mijn"/"my" is deliberately absent: "vergeet mijn vorige vraag" is about the leader's own words.
FILLER = (
    r"(?:(?:al|alle|all|of|van|je|jouw|jij|uw|your|de|het|die|deze|dat|the|these|those|that|this|any|every|elke"
    r"|iedere|eerdere|eerder|vorige|previous|prior|earlier|above|bovenstaande|voorgaande|huidige|current|oude|old"
    r"|original|originele|oorspronkelijke|\w*eerste|first|very\s+first|initial|initiële|volledige|full|raw|ruwe|complete|hele|whole|entire|exacte|exact|gegeven|given"
    r"|geheime|secret|hidden|verborgen|interne|internal|nu|now|maar|even|gewoon|just|simply|about|over"
    r"|letterlijk|literally|voortaan|plz|pls)\s+){0,6}"
)

# The assistant's configuration: what it was told to do and the limits it was given. "regels"/"rules" and their
# kin are everyday school words, so they count only when they are the assistant's ("je regels", "your rules") or
# clearly earlier instructions; "instructies" and "prompt" count in any noun phrase right after the verb.
STRONG_CONFIG = (
    r"(?:instructies|instructie|instructions|instruction|prompts?|systeemprompt|programmering|programming"
    r"|configuratie|configuration|config|richtlijnen|guidelines|guardrails|safeguards|content\s+policy)"
)
WEAK_CONFIG = (
    r"(?:regels|rules|opdracht|opdrachten|beperkingen|restricties|restrictions|limitations|limits|grenzen"
    r"|filters|instellingen|settings|vangrails|setup|set-up"
    # what it was told to do, by the other names an attempt gives it: "je voorschriften", "alle eerdere aanwijzingen"
    r"|aanwijzingen|voorschriften|werkinstructies?|constraints"
    # safety measures are configuration when they are the assistant's: "je veiligheidsregels", "safety filters"
    r"|veiligheids\w+|safety\s+(?:rules|filters|checks|settings|guidelines|measures)|content\s+filters?)"
)
# The assistant's sources: leaving them is leaving the only thing it may answer from.
SOURCES = (
    r"(?:blogs?|blogposts?|posts?|bronnen|sources|artikelen|articles|teksten|context"
    # what a retriever hands the assistant, by the names its makers use: "the retrieved passages"
    r"|(?:(?:retrieved|opgehaalde|gevonden|provided|aangeleverde|meegeleverde|bijgevoegde|attached|onderstaande"
    r"|below|hieronder)\s+)?(?:passages|fragmenten|chunks|snippets|search\s+results|zoekresultaten))"
)
# What came before the question in the assistant's input: in a single question this can only be its prompt.
EARLIER_TEXT = (
    r"(?:alles|everything|all|de tekst|the text|tekst|text|de woorden|the words|words)\s+"
    r"(?:hierboven|above|hiervoor|before this|boven deze vraag|voor deze vraag)"
    r"|(?:bovenstaande|the above|voorgaande)\b(?:\s+(?:tekst|text|instructies|instructions))?"
    r"|(?:je|jouw|your)\s+(?:eerste|first|initial|initiële|openings?)\s*(?:bericht|message|prompt)"
    r"|(?:alles|everything)\s+(?:wat|that|that's|that\s+is|which\s+is)?\s*(?:er\s+)?(?:written\s+)?"
    r"(?:hierboven|above|boven\s+(?:deze|dit|mijn))"
    r"|(?:de\s+|the\s+)?(?:tekst|text|woorden|words|regels|lines)\s+(?:boven|vóór|above|before)\s+(?:mijn|deze|dit|this|my)\s+"
    r"(?:vraag|bericht|question|message)"
    # what the assistant was told before the conversation: "alles wat je eerder is opgedragen", "everything you
    # were told"; the leader's own earlier words are "wat ik zei", never "wat jij te horen kreeg"
    r"|(?:alles|everything|whatever|all)\s+(?:wat|that|what)?\s*(?:je|jij|you)\s+(?:\w+\s+){0,3}?"
    r"(?:opgedragen|verteld|gezegd|meegegeven|meegekregen|gekregen|told|instructed|given|taught)\b"
)
# Text that is part of the assistant's input but not of the leader's question: hidden or internal text, settings
# or instructions. A leader has no hidden text of his own to ask for.
HIDDEN_INPUT = (
    r"(?:verborgen|hidden|geheime|secret|interne|internal|onderliggende|underlying)\s+"
    r"(?:tekst|text|bericht|message|prompt|instructies|instructions|regels|rules|instellingen|settings"
    r"|configuratie|configuration|richtlijnen|guidelines|metadata)"
)
ASSISTANTS = r"(?:je|jouw|jij|uw|your)"
# Configuration named by how the assistant got it: "de regels die je hebt meegekregen", "the rules you were given".
RECEIVED_CONFIG = (
    r"(?:"
    + STRONG_CONFIG
    + "|"
    + WEAK_CONFIG
    + r"|tekst|text|berichten|bericht|messages|message|context|passages|fragmenten"
    r"|documents|documenten|rule|regel|handleiding|manual|guidance|directions|directives?|woorden|words)\s+"
    r"(?:(?:that\s+|which\s+|die\s+|dat\s+)?(?:you(?:'ve|'re)?|je|jij|jou)\s+(?:\w+\s+){0,4}?"
    r"(?:were\s+given|have\s+been\s+given|received|got|gekregen|meegekregen|ontvangen|kreeg|meekreeg|were\s+told"
    r"|gelezen|read|gezien|seen|zag|saw|programmed|geprogrammeerd|trained|getraind|configured|working\s+from|operate\s+under|run\s+on|draait\s+op|functioneert\s+onder|werkt\s+onder"
    # … or had set for it: "the guidance you were set up with", "the instructions you operate with", "de regels die
    # jou zijn opgelegd"
    r"|(?:were\s+|are\s+)?(?:set\s+up|initiali[sz]ed|configured|built|started|booted)\s+(?:with|on|by)|operate\s+(?:with|by)"
    r"|opgelegd|voorgeschreven|meegegeven|opgedragen|ingeprent|aangeleerd)"
    # … or that rules it: "the text that configures you", "the directive that governs your answers", "de richtlijnen
    # die jou sturen" (the assistant as object; a leader's rules govern "staff", never "you")
    r"|(?:that|which|die|dat)\s+(?:configures?|configured|governs?|governed|shapes?|shaped|controls?|steers?|defines?"
    r"|instructs?|programs?|sturen|stuurt|aansturen|aanstuurt|configureert|configureren|instrueert|instrueren"
    r"|bepalen|bepaalt)\s+(?:you|jou|your\s+(?:answers|responses|replies|behaviou?r|output)|je\s+antwoorden)(?!\w)"
    # … or that it was set up with: "de tekst waarmee je bent ingesteld", "met welke aanwijzingen je bent gestart"
    r"|(?:waarmee|waarop|waaronder|with\s+which)\s+(?:je|jij|you)\s+(?:\w+\s+){0,2}?(?:ingesteld|afgesteld|gestart"
    r"|opgestart|geconfigureerd|geprogrammeerd|geïnstrueerd|configured|programmed|instructed|set\s+up|initiali[sz]ed)\b"
    r"|(?:je|jij)\s+(?:bent|werd|wordt)\s+(?:\w+\s+)?(?:ingesteld|afgesteld|gestart|opgestart|geconfigureerd|geïnstrueerd)"
    r"\b(?!\s+(?:op|als|om|bij|in)\b))"
)
# The assistant's configuration with a modifier between possessive and noun: "your safety rules", "jouw
# oorspronkelijke instructies", "je interne richtlijnen". Dutch "je" is also the generic "you", so with "je" only
# the nouns that no leader's own rule-making uses count.
ITS_CONFIG = (
    r"(?:(?:jouw|your|uw)\s+(?:[\w-]+\s+){0,2}?(?:" + STRONG_CONFIG + "|" + WEAK_CONFIG + r")"
    r"|(?:je|jij)\s+(?:[\w-]+\s+)?" + STRONG_CONFIG + r")\b"
)
# A noun phrase that is about a topic ("jouw regels voor een goede vergadering", "your rules for feedback") asks
# for advice, not for the configuration: a preposition of topic right after the noun marks it, unless what follows
# is this very conversation or a time ("your rules for a moment").
TOPIC_FOLLOWS = (
    r"(?!\s+(?:voor|for|over|about|bij|rond|around|als|as|wanneer|when|om|on|van|of|from)\s+"
    r"(?!(?:je|jou|jouw|your|deze|this|dit|now|nu|today|vandaag|json|yaml|xml|markdown|code|plain|platte|refus\w*|weiger\w*|users?|gebruikers?|a\s+(?:moment|while|second|bit)"
    r"|een\s+(?:moment|tijdje|poosje))\b|(?:me|mij|us|ons)\s*(?:[.?!,]|$)))"
)

# Someone in the leader's own working world. A role-play as one of them ("doe alsof je een leerkracht bent die …:
# hoe reageer ik?") is rehearsal of the leader's work, not a change of the assistant's identity; a role outside
# the school (a financial adviser, an AI without rules) is.
SCHOOL_PERSON = (
    r"(?:collega|leerkracht|leraar|lerares|docent|juf|meester|ouder|moeder|vader|leerling|kind|student|stagiair"
    r"|starter|teamlid|team|medewerker|werknemer|bestuurder|bestuur|directeur|adjunct|schoolleider|leider"
    r"|leidinggevende|baas|manager|coördinator|bouwcoördinator|intern begeleider|ib'er|conciërge"
    r"|onderwijsassistent|mentor|coach|inspecteur|mr-lid|voorzitter|teacher|colleague|parent|mother|father"
    r"|pupil|child|trainee|intern|staff|employee|board member|governor|principal|head ?teacher|headmaster"
    r"|deputy|coordinator|supervisor|boss|team member|leader)\w*"
)
# Words that put a request in the leader's work: the school, its people and the coach's own posts. A poem for a
# colleague's farewell or a mail to parents is the leader's work; a poem about cats is not.
LEADERS_WORK = (
    r"\b(?:" + SCHOOL_PERSON + r"|school\w*|klas\w*|class\w*|onderwijs\w*|leiderschap|leadership|leiding\w*"
    r"|vergader\w*|meeting\w*|studiedag\w*|personeel\w*|directie\w*|MT|organisati\w*|blog\w*|posts?)\b"
)

# Output that is neither an answer from the posts nor a piece of the leader's communication: creative genres and
# program code. A question for other content ("geef me een recept") is no manipulation: the relevance check
# refuses it and names topics the posts do cover. Work genres (mail, brief, toespraak, openingszin, nieuwsbrief) are absent
# on purpose: "help me een mail aan mijn team te schrijven" is writing help the posts can inform.
# Creative genres also come as Dutch compounds ("kattengedicht", "verjaardagslied"); code words do not, since
# "gedragscode" and "jaarprogramma" are school words. Both may follow a hyphenated prefix ("Python-script").
OTHER_OUTPUT = (
    r"(?:[\w]+-)?(?:\w*(?:gedicht|gedichten|gedichtje|poem|poems|rijm|rijmpje|lied|liedje|liedjes|liederen"
    r"|song|songs|songtekst|verhaal|verhaaltje|verhalen|sprookje|grap|grapje|grappen|mop|mopje|moppen)"
    r"|vers|versje|rhyme|rhymes|haiku|limerick|sonnet|lyrics|rap|raps|story|stories|fairy tale|jokes?"
    r"|raadsel|raadsels|riddles?|essay|essays|opstel|opstellen|term\s+papers?|werkstuk|werkstukken|scriptie|thesis"
    r"|code|script|scripts|programma|program|software|sql|python|javascript|html)"
)

# --- Clause structure --------------------------------------------------------------------------------------------

# Ways to address the assistant at the start of a clause before the verb: politeness, time ("from now on") and
# modals aimed at it ("can you", "ik wil dat je"). They make "Can you ignore your rules" an imperative too.
ADDRESS = (
    r"(?:(?:please|pls|alsjeblieft|alstublieft|graag|nu|now|just|gewoon|eerst|first|daarna|also|ook|even"
    r"|voortaan|vanaf nu|from now on|can you|could you|would you|will you|i want you to|i need you to"
    r"|ik wil dat je|you must|you should|you will|je moet|jij moet|you are going to)\s*(?:,\s*)?)*"
)
# Clause boundaries: sentence ends, brackets and quotes (hidden injections hide behind them), colons, commas and
# the conjunctions that chain a second instruction ("… en schrijf", "… and write").
_CLAUSE_BREAK = re.compile(
    r"[.!?;:,\n\[\](){}<>\"“”„]+|\s+(?:en|and|then|dan|maar|but|daarna|vervolgens|afterwards)\s+", FLAGS
)


def clauses(text: str) -> list[str]:
    return [part.strip() for part in _CLAUSE_BREAK.split(text) if part.strip()]


def sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[.!?\n\[\](){}]+", text) if part.strip()]
