"""What the words around a name say about its type, when the statistical NER label is a guess.

The small model types a name from the name itself, so unfamiliar names ("Mahaina", "Novamente",
"Erehwon") get arbitrary labels. Texts usually say what a name is, and these cues read it:

- a class noun next to the name: "Novamente, a commercial company"; "the novel, Dune";
  "a spaceship named Erehwon"; "X is the name of a grocery store"; "Ydgrun—The goddess of ...";
- the name's own head word: "Mesopotamia Station", "Utah State University", "Frame Breaking Act";
- a verb of writing: "who had published The Coming Race";
- an honorific before it: "Lord Lytton", "Mrs. Grundy";
- a model number inside it: "Xilinx XC6264", "TPUv5";
- a follower's suffix: "Cosmists" stand for a doctrine;
- a plural place name that acts ("the Bolsheviks started debating") is a group;
- the shape of a personal name: a common given name or initials before a surname ("René
  Descartes", "M.J. McNamee"), which the NER often files under organisations or places.

Each function returns ``None`` when the text gives no cue, so the caller keeps its own label.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from kg.model import EntityType
from kg.nlp import doccache

_CLASS_NOUNS: dict[EntityType, str] = {
    EntityType.PERSON: """man woman boy girl child son daughter father mother wife husband brother sister
        uncle aunt narrator protagonist heroine character guide host jailer goddess god deity king queen
        prince princess author writer novelist poet playwright philosopher scientist researcher professor
        engineer artist musician composer actor actress politician economist theorist critic journalist
        founder entrepreneur investor mathematician physicist chemist biologist historian activist
        apprentice farmer soldier officer inventor industrialist sociologist psychologist anthropologist linguist
        theologian architect designer futurist technologist scholar thinker astronomer archaeologist painter
        sculptor lawyer physician psychiatrist surgeon statesman explorer geographer commentator columnist
        essayist biographer teacher priest monk singer rapper filmmaker director""",
    EntityType.ORGANIZATION: """company firm corporation startup organisation organization agency institute
        institution university college laboratory lab foundation society association union council
        committee government ministry department army navy publisher newspaper journal magazine store shop
        grocery retailer band orchestra team club festival congress conference party manufacturer maker
        subsidiary nonprofit charity broadcaster""",
    EntityType.PLACE: """country nation city town village region province county island continent planet
        station farm mill forest river mountain valley lake sea ocean port district colony civilization
        civilisation empire kingdom marsh swamp desert plain coast room hall auditorium amphitheatre theatre
        building road street bridge square""",
    EntityType.CREATIVE_WORK: """book novel novella poem play film movie documentary episode season essay
        article paper letter anthology album song manifesto treatise monograph thesis dissertation sequel prequel
        report opera painting lecture series manga anime comic trilogy franchise sitcom podcast game videogame
        website blog""",
    EntityType.PRODUCT: """ship spaceship steamship vessel machine computer engine robot chip processor
        supercomputer chatbot drug medicine medication pill vaccine""",
    EntityType.CONCEPT: """philosophy ideology theory doctrine religion crusade war revolution rebellion riot
        uprising rising genus species""",
}
CLASS_NOUNS: dict[str, EntityType] = {w: t for t, words in _CLASS_NOUNS.items() for w in words.split()}
"""Common nouns that say which of the six classes a name they describe belongs to."""
# Nouns of software and chips that a product's name modifies ("the Java programming language").
_SOFTWARE_NOUNS = frozenset("language microprocessor processor compiler kernel browser software chip".split())
# Periodicals are organisations, as the gold files' guidelines type them, but they have titles.
PERIODICALS = frozenset({"journal", "magazine", "newspaper"})

# Head words that end proper names; "Station" and "Mill" end place names whatever the NER says.
_HEAD_WORDS: dict[str, EntityType] = {
    **{w: EntityType.PLACE for w in "station mill forest island river mountains moor peninsula prefecture".split()},
    **{w: EntityType.PLACE for w in "empire kingdom".split()},  # "Roman Empire": no man named Roman
    **{
        w: EntityType.PLACE
        for w in """cemetery street road square avenue lane palace castle cathedral abbey bridge park building hill
        crematorium cinema hotel auditorium hall""".split()
    },
    **{
        w: EntityType.ORGANIZATION
        for w in """university institute college laboratory laboratories lab labs foundation society association
        council committee company corporation festival congress parliament army school academy museum summit
        forum conference inc corp ltd llc systems products press books publishers publishing journal magazine
        quarterly gazette telegraph tribune herald agency commission department ministry bureau headquarters
        colleges universities institutes academies societies""".split()
    },
    # Plans, charters and treaties are documents ("Artificial Intelligence Action Plan").
    **{
        w: EntityType.CREATIVE_WORK
        for w in """act acts manifesto declaration epic faq plan blueprint charter treaty dictionary dictionaries
        encyclopedia encyclopaedia""".split()
    },
    # Awards have no class of their own; like events they are typed Concept ("Turing Award").
    **{w: EntityType.CONCEPT for w in "war wars riots rising revolution award prize medal".split()},
    # Operating systems are named after their family: "BSD UNIX", "Berkeley Unix", "Mac OS".
    **{w: EntityType.PRODUCT for w in "machine engine distribution unix linux os".split()},
}
# Periods of history are ideas ("Information Age", "Middle Ages"), but only as a name's last word:
# "The Age of Spiritual Machines" is a book.
_PERIOD_WORDS = frozenset("age ages era period".split())
# Head words that head a name only as its last word: "Deschutes Hall", not "Hall of Fame".
_LAST_WORD_HEADS = frozenset({"hall"})
# Head words only where a complement follows: "Office of Management and Budget", but "Microsoft
# Office" and "Oval Office" are no organisations.
_COMPLEMENTED_HEAD_WORDS = {
    **{w: t for w, t in _HEAD_WORDS.items() if w not in _LAST_WORD_HEADS},
    "office": EntityType.ORGANIZATION,
    "bank": EntityType.ORGANIZATION,  # "Bank of England", not "West Bank"
}
# Languages that put the class word first: "Lycée Carnot", "Università di Bologna", "Institut Pasteur".
_LEADING_HEAD_WORDS = frozenset(
    """lycee universite ecole college institut academie musee universidad universidade universita universitat
    istituto instituto escuela museo museu hochschule gymnasium akademie""".split()
)
_HONORIFICS = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. lord lady sir dame king queen prince princess general captain".split()
)
# Titles before a name say it is a person's, but are not part of the name ("President Reagan").
_TITLES = _HONORIFICS | frozenset(
    """emperor empress pope tsar czar kaiser sultan duke duchess earl baron baroness bishop archbishop cardinal
    reverend senator governor president chancellor professor colonel admiral""".split()
)
# What only a person has: "Napoleon's wife", "Heathcote's death".
_PERSONAL_NOUNS = frozenset(
    """wife husband widow son daughter father mother brother sister parents children family death birth funeral
    childhood youth biography memoirs""".split()
)
_LIFE_VERBS = frozenset({"bear", "born", "die", "marry"})
NAME_PARTICLES = frozenset("de du des da di del della van von der den le la bin ibn al".split())
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")
NAMING_VERBS = frozenset({"named", "called", "titled", "entitled", "dubbed", "codenamed"})
_MAKERS = frozenset({"author", "co-author", "writer", "director", "composer", "translator", "screenwriter"})
_WORK_VERBS = frozenset({"publish", "write", "author", "co-author", "direct", "release", "translate"})
_ELEMENTS = frozenset(
    """H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y
    Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os
    Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr""".split()
)
_FORMULA = re.compile(r"(?:[A-Z][a-z]?\d*){2,}")
_SYMBOL = re.compile(r"([A-Z][a-z]?)\d*")
_MODEL_NUMBER = re.compile(r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z\d]{4,}(?:-[A-Za-z\d]+)*")


def agent_type(span: Span, current: EntityType) -> EntityType | None:
    """A plural name the NER calls a place but that acts ("the Bolsheviks ... started debating")
    is a group of people. Singular places act in news prose ("China said"), so they stay places."""
    root = subject = span.root
    while subject.dep_ == "conj" and subject.head.i != subject.i:
        subject = subject.head
    acts = subject.dep_ == "nsubj" and subject.head.pos_ == "VERB"
    plural = re.search(r"(ists|ites|iks|ans)$", root.text) is not None
    return EntityType.ORGANIZATION if current is EntityType.PLACE and acts and plural else None


_LOCATIVE = frozenset("in near across throughout around outside inside within".split())
PLACE_LABELS = frozenset({"GPE", "LOC"})
"""The NER's labels of places."""
_ADDRESS_LABELS = PLACE_LABELS | {"FAC"}  # "Baker Street", a facility to the NER, begins an address
# "published in Amazing Stories", "an interview in the New York Times Magazine": a periodical.
_PRINT_VERBS = frozenset("publish appear print write report quote serialize serialise feature interview".split())


def locative_type(span: Span, current: EntityType, places: frozenset[int] = frozenset()) -> EntityType | None:
    """'riots in Lancashire', 'fighting across Westmarch': a bare name after a preposition of place
    is a place, when the NER's own guess is an organisation or product (the labels it gives unfamiliar
    place names). Not 'at' ("at Bell Labs") nor where something is published ("in Amazing Stories"),
    unless the name is then placed itself ("at Rawfolds near Cleckheaton", "in Arnold, Nottingham"),
    which also makes any preposition one of place ("the swamps of Glastonbury, England") and
    outweighs a guess of a person. A name the NER calls a place, after such a preposition,
    is one too. ``places`` are the token positions where the text's other place names start.
    Weak evidence: it only counts where the text says nothing stronger."""
    prep = span.doc[span.start - 1] if span.start > 0 else None
    if prep is None or span.root.dep_ != "pobj":
        return None
    placed = _placed(span, places)
    allowed = {EntityType.ORGANIZATION, EntityType.PRODUCT, EntityType.PLACE} | (
        {EntityType.PERSON} if placed else set()
    )
    if current not in allowed or not (prep.lower_ in _LOCATIVE or placed):
        return None
    if prep.head.lemma_.lower() in _PRINT_VERBS or head_word_type(span) or class_noun_type(span[-1]):
        return None
    return EntityType.PLACE if all(t.pos_ == "PROPN" for t in span) else None


def _placed(span: Span, places: frozenset[int]) -> bool:
    """'Rawfolds near Cleckheaton', 'Arnold, Nottingham': a name placed by a place after it."""
    after = span.doc[span.end : span.end + 2]
    if len(after) < 2 or not after[1].text[:1].isupper():
        return False
    place = after[1].ent_type_ in PLACE_LABELS or after[1].i in places
    return after[0].lower_ == "near" or (after[0].text == "," and place)


def class_noun_type(tok: Token) -> EntityType | None:
    return CLASS_NOUNS.get(tok.lemma_.lower()) or CLASS_NOUNS.get(tok.lower_)


def context_type(span: Span) -> EntityType | None:
    """The type that the text around ``span`` (or its own head word) gives the name, if any."""
    return (
        _formula_type(span)
        or head_word_type(span)
        or _classed_type(span)
        or _place_of_type(span)
        or _place_noun_after(span)
        or _address_type(span)
        or software_type(span)
        or _personal_type(span)
        or _adherents_type(span)
        or _model_number_type(span)
        or _described_type(span)
        or _work_object_type(span)
        or _agent_type(span)
        or _exemplified_type(span)
    )


def honorific_before(span: Span) -> int:
    """How many tokens of honorific ("Lord", "Mrs.") directly precede ``span`` (0 or 1)."""
    return int(span.start > 0 and is_honorific(span.doc[span.start - 1]))


def is_title(tok: Token) -> bool:
    """A capitalised title that says the name after it is a person's ("Emperor", "Lord")."""
    return tok.lower_ in _TITLES and tok.text[:1].isupper()


def is_honorific(tok: Token) -> bool:
    return tok.lower_ in _HONORIFICS and tok.text[:1].isupper()


@cache
def _word_list(name: str) -> frozenset[str]:
    """The lines of ``kg/data/<name>`` but its comments."""
    text = resources.files("kg.data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def given_names() -> frozenset[str]:
    """Common given names, lower case and unaccented (``kg/data/given_names.txt``)."""
    return _word_list("given_names.txt")


def place_names() -> frozenset[str]:
    """Names of countries, US states and cities of 15,000 people or more, lower case
    (``kg/data/places.txt``, from GeoNames)."""
    return _word_list("places.txt")


def gazetteer_place(span: Span) -> bool:
    """ "Amiens", "Madurai": the name of a known city or country, which the text never writes as a
    common word ("Mobile", "Reading") and which is no given name ("Florence")."""
    text = span.text.lower()
    return text in place_names() and not (
        len(span) == 1 and (is_given_name(span[0]) or span[0].lower_ in doccache.lower_case_words(span.doc))
    )


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def is_given_name(tok: Token) -> bool:
    """A word of the list of given names, whatever else the text makes of it."""
    return _fold(tok.text) in given_names()


def has_given_name(tok: Token) -> bool:
    # A given name the text also writes in lower case ("the Brain Builder Group") is a common word.
    return tok.is_title and is_given_name(tok) and tok.lower_ not in doccache.lower_case_words(tok.doc)


def ner_person_with_given_name(span: Span) -> bool:
    """ "John Stuart Mill": a person to the NER, with a given name first, is no mill."""
    return all(t.ent_type_ == "PERSON" for t in span) and has_given_name(span[0])


def is_initials(tok: Token) -> bool:
    """'J.', 'J.G.', 'L.': a person's initials."""
    return _INITIALS.fullmatch(tok.text) is not None


def personal_name_shape(span: Span) -> bool:
    """'René Descartes', 'Jean-Paul Sartre', 'M.J. McNamee', 'Pierre Teilhard de Chardin': a common
    given name (or initials) followed by capitalised surname words, and no class or head noun
    ("Christian Transhumanist Association", "Virginia Tech University" are not people)."""
    words = [t for t in span if not (t.text == "-" and not t.whitespace_)]
    if not 2 <= len(words) <= 5:
        return False
    first = words[0]
    if not (is_initials(first) or has_given_name(first)):
        return False
    rest = words[1:]
    while rest and is_initials(rest[0]):
        rest = rest[1:]
    surname = [t for t in rest if t.lower_ not in NAME_PARTICLES]
    if not surname or not all(t.is_alpha and t.text[:1].isupper() and not t.is_upper for t in surname):
        return False
    last = surname[-1].lower_
    return last not in _HEAD_WORDS and last not in CLASS_NOUNS and all(t.pos_ == "PROPN" for t in surname)


COMPLEMENT_PREPOSITIONS = frozenset({"of", "in", "for", "on"})


def head_word_type(span: Span) -> EntityType | None:
    """The type the head word of a capitalised name gives it: its last word ("Utah State University"),
    the last one a complement follows ("University of California", "Medal of Technology"), or a
    first word that heads names in French, Italian, Spanish or German ("Lycée Carnot")."""
    words = [t for t in span if t.is_alpha]
    if len(words) < 2 or not words[-1].text[:1].isupper():
        return None
    last = words[-1].lower_
    kind = None
    if words[-2].text[:1].isupper():
        kind = EntityType.CONCEPT if last in _PERIOD_WORDS else _HEAD_WORDS.get(last)
    # A place ends the name of what is in it: "Parliament of the United Kingdom".
    if kind is None or kind is EntityType.PLACE:
        heads = [
            t
            for t in words[:-1]
            if t.text[:1].isupper()
            and t.lower_ in _COMPLEMENTED_HEAD_WORDS
            and t.nbor().lower_ in COMPLEMENT_PREPOSITIONS
        ]
        kind = _COMPLEMENTED_HEAD_WORDS[heads[-1].lower_] if heads else kind
    if kind is None and words[0].text[:1].isupper() and _fold(words[0].text) in _LEADING_HEAD_WORDS:
        kind = EntityType.ORGANIZATION
    if kind is None and words[0].text == "County":  # Irish counties: "County Tipperary"
        kind = EntityType.PLACE
    # "John Stuart Mill": a person to the NER, with a given name first, is no mill (a college is).
    surname_like = kind in {EntityType.PLACE, EntityType.PRODUCT}
    return None if surname_like and ner_person_with_given_name(span) else kind


def head_noun_type(tok: Token) -> EntityType | None:
    """The type a capitalised head noun gives the name it ends ("Mill", "Riots", "Act", "Festival")."""
    if not (tok.text[:1].isupper() and tok.is_alpha):
        return None
    complemented = tok.i + 1 < len(tok.doc) and tok.nbor().lower_ in COMPLEMENT_PREPOSITIONS
    return None if complemented and tok.lower_ in _LAST_WORD_HEADS else _HEAD_WORDS.get(tok.lower_)


def _personal_type(span: Span) -> EntityType | None:
    """'Emperor Napoleon', 'Napoleon's wife', 'Heathcote was born in 1784', 'Kamala and I': a title,
    a relative, a life event or the speaker beside it belongs to a person."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    # "Pope Gregory": the NER keeps the title inside (a heading "General Provisions." is no name).
    heading = not any(t.pos_ in {"VERB", "AUX"} for t in span.sent)
    inside = span[0] if len(span) == 2 and not heading else None
    if any(t is not None and is_title(t) for t in (before, inside)):
        return EntityType.PERSON
    if span.end + 1 < len(doc) and doc[span.end].tag_ == "POS":
        noun = _np_head(doc, span.end + 1)
        if noun is not None and noun.lower_ in _PERSONAL_NOUNS:
            return EntityType.PERSON
        # "Katsuhiro Otomo's manga series Akira", 'Ithiel de Sola Pool's "Technologies of Freedom"':
        # whose work it is, with a name of two or more plain capitalised words, is a person, even
        # with a given name outside our list. The last lower-case word names the work: the small
        # model tags "manga series" as proper nouns.
        owned = [t for t in itertools.takewhile(lambda t: t.is_lower or t.like_num, doc[span.end + 1 :]) if t.is_lower]
        work = bool(owned) and class_noun_type(owned[-1]) is EntityType.CREATIVE_WORK
        if (work or doc[span.end + 1].text in QUOTES) and plain_name(span):
            return EntityType.PERSON
    root = span.root
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_.lower() in _LIFE_VERBS and root.head.pos_ == "VERB":
        return EntityType.PERSON
    if any(t.text in {"I", "me"} for t in root.conjuncts):
        return EntityType.PERSON  # "Kamala and I convened the CEOs": one person beside another
    return None


def plain_name(span: Span) -> bool:
    """Two to five capitalised proper nouns (particles between), none a head or class noun."""
    words = [t for t in span if t.lower_ not in NAME_PARTICLES]
    return (
        2 <= len(words) <= 5
        and words[0].i == span.start
        and all(t.is_alpha and t.is_title and t.pos_ == "PROPN" for t in words)
        and not any(t.lower_ in _HEAD_WORDS or t.lower_ in CLASS_NOUNS for t in words)
    )


def _classed_type(span: Span) -> EntityType | None:
    """'political scientist Klaus-Gerd Giesen', 'the novel Brave New World': a lower-case class
    noun right before a name in capitals, and modifying it or set beside it, says what it is
    ('the book Nick Land wrote' does not: the name starts a clause of its own)."""
    if span.start == 0:
        return None
    noun = span.doc[span.start - 1]
    if noun.tag_ != "NN" or not noun.is_lower or not _capitalised_name(span):
        return None
    linked = span.start <= noun.head.i < span.end or span.root.head.i == noun.i
    return class_noun_type(noun) if linked or _misparsed_apposition(span, noun) else None


def _place_of_type(span: Span) -> EntityType | None:
    """'the Greek island of Crete', 'the city of Uruk': a name that complements a singular place
    noun after 'the ... of' names that place."""
    root = span.root
    of = root.head
    noun = of.head
    if root.dep_ != "pobj" or of.lower_ != "of" or noun.tag_ != "NN" or not noun.is_lower:
        return None
    if class_noun_type(noun) is not EntityType.PLACE or not _capitalised_name(span):
        return None
    return EntityType.PLACE if any(c.lower_ == "the" for c in noun.children) else None


def _place_noun_after(span: Span) -> EntityType | None:
    """'the Tigris and Euphrates rivers', 'the Amazon river': names modifying a lower-case
    place noun after them (the first of the names, for those joined to it by 'and') name places."""
    first = span.root
    while first.dep_ == "conj" and first.head.i < first.i:
        first = first.head
    noun = first.head
    if first.dep_ not in {"compound", "amod", "nmod"} or noun.i < span.end or not noun.is_lower:
        return None
    return EntityType.PLACE if class_noun_type(noun) is EntityType.PLACE and _capitalised_name(span) else None


def _address_type(span: Span) -> EntityType | None:
    """'in Baker Street, Enfield, Middlesex, under ...', 'in Teignmouth, Devon;': one word after a
    comma that follows a place (or a run of names between commas that begins with one), where the
    address ends or a place follows, is a further place of it. Persons listed after a place have
    two words or are followed by more names ('in Paris, Smith, Jones and Brown')."""
    doc = span.doc
    if len(span) != 1 or not _capitalised_name(span):
        return None
    after = doc[span.end : span.end + 2]
    if len(after) == 2 and after[0].text == ",":
        if after[1].text[:1].isupper() and after[1].ent_type_ not in PLACE_LABELS:
            return None
    elif len(after) and after[0].text not in {".", ";", ")"}:
        return None
    for prev, i in _names_listed_before(doc, span.start, 3):  # at most three names of the address
        # "Sterling, Gibson, Shiner, Cadigan, Bear": "places" listed after a person are surnames
        # the NER took for towns, and the list is of persons (asked only of a place).
        placed = (prev.ent_type_ in _ADDRESS_LABELS or head_noun_type(prev) is EntityType.PLACE) and not any(
            name.ent_type_ == "PERSON" for name, _ in _names_listed_before(doc, i, 6)
        )
        if placed or (i > 0 and doc[i - 1].lower_ in _LOCATIVE):  # "in Teignmouth, Devon"
            return None if personal_name_shape(span) else EntityType.PLACE
    return None


def _names_listed_before(doc: Doc, i: int, most: int) -> Iterator[tuple[Token, int]]:
    """The capitalised names before token ``i`` in a list between commas, nearest first, at most
    ``most``: each one's last token and where it starts."""
    for _ in range(most):
        if i < 2 or doc[i - 1].text != ",":
            return
        prev = doc[i - 2]
        if not prev.text[:1].isupper():
            return
        i = prev.i
        while i > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].is_alpha:
            i -= 1
        yield prev, i


def software_type(span: Span) -> EntityType | None:
    """'the Java programming language', 'the SPARC microprocessors', 'the Unix operating system': a
    name modifying a noun of software or chips after it is the product (the small model calls
    them organisations or people)."""
    doc = span.doc
    if not all(t.text[:1].isupper() for t in span if t.is_alpha):
        return None  # "parallelism software": an idea, not a product's name
    for i in range(span.end, min(span.end + 2, len(doc))):
        tok = doc[i]
        if not (tok.is_lower and tok.is_alpha):
            return None
        operating_system = tok.lower_ in {"system", "systems"} and doc[i - 1].lower_ == "operating"
        if (tok.lemma_.lower() in _SOFTWARE_NOUNS or operating_system) and span.end <= span.root.head.i <= i:
            return EntityType.PRODUCT
    return None


def _misparsed_apposition(span: Span, noun: Token) -> bool:
    """'The 1997 film Gattaca depicts a society': the parser reads a relative clause ('the film
    [that] Gattaca depicts'), but a verb with an object of its own leaves no gap for the noun,
    so the name is the noun's apposition ('the book Nick Land wrote' keeps its gap)."""
    verb = span.root.head
    return (
        span.root.dep_ == "nsubj"
        and verb.dep_ == "relcl"
        and verb.head.i == noun.i
        and any(c.dep_ == "dobj" for c in verb.children)
    )


def _capitalised_name(span: Span) -> bool:
    words = [t for t in span if not (t.text == "-" and not t.whitespace_)]
    return all(t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_upper for t in words)


def _adherents_type(span: Span) -> EntityType | None:
    """Followers of a doctrine ("Cosmists", "Accelerationists") stand for the doctrine, a Concept
    (as "e/accs" stands for e/acc); so does the doctrine's own name ("Dadaism", "Neo-Spinozism")."""
    text = "".join(t.text_with_ws for t in span).strip()
    return EntityType.CONCEPT if re.fullmatch(r"(?:[A-Z][^\W\d_]+-)?[A-Z][^\W\d_]+(?:ists?|isms?)", text) else None


def _formula_type(span: Span) -> EntityType | None:
    """'GaN', 'InGaAs', 'ZnO', 'MgB2': a chemical formula (element symbols, mixed case) names a
    material, which the NER calls an organisation or a place. All capitals ("CNN") and an
    acronym's plural ("KBOs") are no formula."""
    text = span.text
    if len(span) != 1 or text.isupper() or (text.endswith("s") and text[:-1].isupper()):
        return None
    if _FORMULA.fullmatch(text) is None or not all(m.group(1) in _ELEMENTS for m in _SYMBOL.finditer(text)):
        return None
    return EntityType.CONCEPT


def _model_number_type(span: Span) -> EntityType | None:
    return EntityType.PRODUCT if any(_MODEL_NUMBER.fullmatch(t.text) for t in span) else None


# Verbs whose agent ("written by X") or object ("starring X") is the person who made a work.
_MAKING_VERBS = frozenset("write co-write author co-author edit direct compose translate illustrate narrate".split())
_RELATIVE_PERSONAL = frozenset({"who", "whom"})
_EXAMPLE_CUES = frozenset({"like", "including"})


def _agent_type(span: Span) -> EntityType | None:
    """'a history written by HP Newquist', 'a movie starring Pauley Perrette', 'Thimonnier, who
    ...': who makes or stars in a work, or whom 'who' refers back to, is a person (an organisation
    publishes, and is 'which')."""
    doc, root = span.doc, span.root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_.lower() in _MAKING_VERBS:
        return EntityType.PERSON if head.head.tag_ == "VBN" else None
    if root.dep_ == "dobj" and head.lower_ == "starring":
        return EntityType.PERSON
    after = doc[span.end : span.end + 2]
    if len(after) == 2 and after[0].text == "," and after[1].lower_ in _RELATIVE_PERSONAL:
        # The parse says whom 'who' is about: "writers in Amsterdam, who had ..." are the writers.
        # A place's name after 'in' is not it, whatever the parser says ("writers in Amsterdam, who").
        clause = after[1].head
        placed = root.dep_ == "pobj" and head.lower_ in _LOCATIVE
        return EntityType.PERSON if clause.dep_ == "relcl" and clause.head.i == root.i and not placed else None
    return None


def _exemplified_type(span: Span) -> EntityType | None:
    """'industry conferences like DEMO, SXSW, and TED', 'companies such as X and Y': names listed
    as examples of a class noun are of its class."""
    noun = example_class_noun(span)
    return class_noun_type(noun) if noun is not None else None


def example_class_noun(span: Span) -> Token | None:
    """The plural class noun whose examples ``span`` lists ('medicines such as Ritalin and Adderall'), if any."""
    doc = span.doc
    i = span.start - 1
    while i > span.sent.start and (doc[i].text in {",", "and", "or"} or doc[i].pos_ == "PROPN"):
        i -= 1  # back over the earlier items of the list
    cue = doc[i]
    if cue.lower_ == "as" and i > 0 and doc[i - 1].lower_ == "such":
        i -= 1
    elif cue.lower_ not in _EXAMPLE_CUES:
        return None
    if i > 1 and doc[i - 1].text == ",":
        i -= 1  # "the first cities, such as Uruk"
    noun = doc[i - 1] if i > 0 else None
    return noun if noun is not None and noun.pos_ == "NOUN" and noun.tag_ == "NNS" else None


def _work_object_type(span: Span) -> EntityType | None:
    """'who had published The Coming Race', 'the author of the Tractatus': what one publishes or
    writes, or whose author someone is, is a work."""
    root = span.root
    if root.dep_ == "dobj" and root.head.lemma_.lower() in _WORK_VERBS:
        return EntityType.CREATIVE_WORK
    of = root.head
    # "the director of Blade Runner"; a capitalised maker is an office ("Director of the NSA").
    if root.dep_ == "pobj" and of.lower_ == "of" and of.head.is_lower and of.head.lemma_ in _MAKERS:
        return EntityType.CREATIVE_WORK
    return None


def naming_verb_class(tok: Token) -> EntityType | None:
    """The class noun a naming verb refers back to: 'an anthology edited by X named Y' -> work."""
    sent_start = tok.sent.start
    for k in range(tok.i - 1, max(sent_start, tok.i - 9) - 1, -1):
        found = class_noun_type(tok.doc[k]) if tok.doc[k].pos_ == "NOUN" else None
        if found is not None:
            return found
    return None


# Straight and curly quotation marks, opening -> closing.
QUOTES = {"\u201c": "\u201d", '"': '"', "'": "'", "\u2018": "\u2019"}
CLOSING_QUOTES = frozenset(QUOTES.values())
# Around a name described by its class, also the doubled marks of plain-text Wikipedia ('' and ``).
_OPENING_QUOTES = frozenset(QUOTES) | {"''", "``"}
_CLOSING_QUOTES = CLOSING_QUOTES | {"''"}


def _described_type(span: Span) -> EntityType | None:
    doc = span.doc
    # Before the name: "the novel, Dune"; "a spaceship named Erehwon"; "film, titled Erewhon".
    i = span.start - 1
    while i >= 0 and doc[i].text in _OPENING_QUOTES:
        i -= 1
    if i >= 0 and doc[i].lower_ in NAMING_VERBS:
        return naming_verb_class(doc[i])
    if i >= 1 and doc[i].lower_ == "as" and doc[i - 1].lower_ == "known":
        return naming_verb_class(doc[i - 1])  # "a subsidiary of Xerox later known as Scansoft"
    while i >= 0 and doc[i].text == ",":
        i -= 1
    # "In a 2015 paper, William D. Nordhaus ... takes": a subject after a comma is not apposed.
    subject = span.root.dep_ in {"nsubj", "nsubjpass"}
    if i >= 0 and doc[i].pos_ == "NOUN" and doc[i].is_lower and not subject:
        found = class_noun_type(doc[i])
        if found is not None:
            return found
    # After it: "Novamente, a commercial company"; "X is (also) the name of a grocery store";
    # a glossary line "Ydgrun—The incomprehensible goddess of the Erewhonians".
    j = span.end
    while j < len(doc) and doc[j].text in _CLOSING_QUOTES:
        j += 1
    if j < len(doc) and doc[j].text in {",", "\u2014", "\u2013", "is", "was"}:
        copula = doc[j].lower_ in {"is", "was"}
        j += 1
        if copula and j < len(doc) and doc[j].lower_ in {"also", "now", "still"}:
            j += 1
        if j + 1 < len(doc) and doc[j].pos_ == "PROPN" and doc[j + 1].tag_ == "POS":
            j += 2  # "Chowbok—Higgs' guide into the mountains"
            noun = _np_head(doc, j)
            return class_noun_type(noun) if noun is not None and not _starts_clause(span, noun, copula) else None
        # "X, a film", "X, her 1980 film"; "X, whose machines" is no apposition.
        if j < len(doc) and (doc[j].pos_ == "DET" or doc[j].tag_ == "PRP$") and doc[j].tag_ != "WP$":
            noun = _np_head(doc, j + (doc[j].tag_ == "PRP$"))
            if noun is not None and noun.lower_ == "name" and copula:
                of = noun.i + 1
                if of + 1 < len(doc) and doc[of].lower_ == "of":
                    noun = _np_head(doc, of + 1)
            if noun is not None and not _starts_clause(span, noun, copula):
                return class_noun_type(noun)
    return None


def _starts_clause(span: Span, noun: Token, copula: bool) -> bool:
    """'despite events in Rome, Nero's step-brother was ...': after a comma, the subject of the
    clause that follows is no apposition to the name before it. The parser also makes apposed
    nouns subjects, but then a comma closes the apposition before the verb ('In "Smile", the
    second episode of ..., the Doctor ... explore') or the name is that verb's subject too."""
    while noun.dep_ in {"compound", "amod", "nmod"} and noun.head.i != noun.i:
        noun = noun.head  # "step-brother" of "Nero's step-brother Britannicus"
    verb = noun.head
    if copula or noun.dep_ not in {"nsubj", "nsubjpass"} or verb.i < noun.i or span.root.head.i == verb.i:
        return False
    return not any(t.is_punct for t in span.doc[noun.i + 1 : verb.i])


def _np_head(doc: Doc, start: int) -> Token | None:
    """The last common noun of the noun phrase starting at ``start`` ("a commercial company")."""
    head = None
    k = start
    while k < len(doc) and k - start < 12:
        tok = doc[k]
        if tok.pos_ == "NOUN":
            head = tok
        elif not (tok.pos_ in {"DET", "ADJ", "PROPN", "NUM", "ADV"} or tok.text in {"-", "based"}):
            break
        k += 1
    return head
