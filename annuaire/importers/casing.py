"""Names and addresses written in capitals by a source, rewritten the way French is written.

`MDS de POITIERS` → `MDS de Poitiers`, `CENTRE COMMUNAL D'ACTION SOCIALE` → `Centre communal
d'action sociale`, `48 AV DE LA LIBERTE` → `48 avenue de la Liberté`. Only words written in
capitals change; acronyms (CAF, CCAS, MDS…) stay; commune and intercommunality names take their
official spelling from the territory; a short list of words gets its accents back. Names are
written in sentence case, street names in title case after the street type. Every change is
reported by the importer, so a person can check it: a capital word this module does not know
stays as the source wrote it, lower-cased but never guessed otherwise.
"""

from __future__ import annotations

import re

from ..data.territory import Territory
from ..text import search_key, strip_accents

# Kept in capitals wherever they appear.
ACRONYMS = frozenset({
    "MDS", "MDSP", "CCAS", "CIAS", "CNFS", "ZAE", "ZAC", "PIMMS", "ANCT", "CAF", "CPAM", "MSA", "SNCF",
    "MSAP", "EPN", "MJC", "CSC", "ACLÉ", "ACLE", "RSA", "CIO", "CRIJ", "PMI", "UDAF", "ADMR", "EHPAD",
    "BP", "CS", "CEDEX",
})
# Words that keep a lower case inside a name or an address.
CONNECTORS = frozenset({
    "de", "du", "des", "la", "le", "les", "l", "d", "et", "à", "a", "au", "aux", "en", "sur", "sous", "pour",
})
# Words sources write without their accents, and proper nouns a sentence keeps capitalized.
LEXICON = {
    "hotel": "hôtel", "liberte": "liberté", "marechal": "maréchal", "francaise": "française",
    "francais": "français", "ecrire": "écrire", "communaute": "communauté", "ecole": "école",
    "eglise": "église", "chateau": "château", "mediatheque": "médiathèque", "bibliotheque": "bibliothèque",
    "solidarites": "solidarités", "departementale": "départementale", "general": "général",
    "medico": "médico", "cites": "cités", "sante": "santé", "emploi": "emploi", "entree": "entrée",
    "republique": "République", "chateauneuf": "Châteauneuf", "vienne": "Vienne", "gartempe": "Gartempe",
    "france": "France", "nord": "Nord", "sud": "Sud", "poitou": "Poitou", "blossac": "Blossac",
    "leclerc": "Leclerc", "daniel": "Daniel", "cormier": "Cormier", "madame": "Madame", "mairie": "mairie",
}
# Names of organisations, as they write themselves.
PHRASES = {"croix rouge": "Croix-Rouge"}
# Street types, with the abbreviations sources use: written in full and in lower case.
STREET_TYPES = {
    "rue": "rue", "r": "rue", "place": "place", "pl": "place", "avenue": "avenue", "av": "avenue",
    "ave": "avenue", "boulevard": "boulevard", "bd": "boulevard", "bld": "boulevard", "chemin": "chemin",
    "ch": "chemin", "impasse": "impasse", "imp": "impasse", "allee": "allée", "all": "allée",
    "route": "route", "rte": "route", "square": "square", "sq": "square", "faubourg": "faubourg",
    "fg": "faubourg", "gr": "Grand'Rue", "grand rue": "Grand'Rue", "quai": "quai", "cours": "cours",
    "promenade": "promenade", "passage": "passage", "esplanade": "esplanade", "residence": "résidence",
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+\w*|\S", re.UNICODE)


def shouts(text: str) -> bool:
    """True when the text has a word of four letters or more written in capitals (an acronym apart)."""
    words = re.findall(r"[^\W\d_]+", text)
    return any(len(w) >= 4 and w.isupper() and strip_accents(w) not in ACRONYMS and w not in ACRONYMS
               for w in words)


def _lower_word(word: str) -> str:
    """A capital word in lower case, with its accents when the lexicon knows it."""
    known = LEXICON.get(search_key(word))
    return known if known is not None else word.lower()


def _proper_names(territory: Territory | None) -> dict[str, str]:
    """search key → official spelling, for every commune and intercommunality name."""
    names: dict[str, str] = {}
    if territory is not None:
        for commune in territory.communes:
            names[search_key(commune.nom)] = commune.nom
    return names


def _replace_names(text: str, names: dict[str, str]) -> str:
    """Runs of capital words that spell a commune (`VOUNEUIL SOUS BIARD`) → its official name."""
    tokens = re.split(r"(\s+|-)", text)
    words = [(i, t) for i, t in enumerate(tokens) if t.strip() and t != "-"]
    result = list(tokens)
    position = 0
    while position < len(words):
        for length in range(min(5, len(words) - position), 0, -1):
            chunk = words[position:position + length]
            if not all(t.isupper() for _, t in chunk):
                continue
            key = search_key(" ".join(t for _, t in chunk))
            if key in names and (length > 1 or len(key) > 3):
                first, last = chunk[0][0], chunk[-1][0]
                result[first] = names[key]
                for index in range(first + 1, last + 1):
                    result[index] = ""
                position += length
                break
        else:
            position += 1
    return "".join(result)


def _case_words(text: str, title: bool) -> str:
    """Lower-case the capital words of `text`, first word and (title case) every word not a
    connector with an initial capital; acronyms and words already in lower case are kept."""
    out: list[str] = []
    first = True
    for match in _WORD.finditer(text):
        token = match.group(0)
        letters = token.replace("'", "").replace("’", "")
        if token.isupper() and letters.isalpha() and token not in ACRONYMS and strip_accents(token) not in ACRONYMS:
            word = _lower_word(token)
            apostrophe = re.match(r"^([a-zà-ÿ])['’](.+)$", word)
            if apostrophe:  # `D'ACTION` → `d'action`, `L'HOTEL` → `l'Hôtel` in title case
                rest = _lower_word(apostrophe.group(2).upper())
                word = apostrophe.group(1) + "'" + (rest[:1].upper() + rest[1:] if title else rest)
            elif (first or (title and word not in CONNECTORS)) and word[:1].islower():
                word = word[:1].upper() + word[1:]
            token = word
        out.append(token)
        first = token in ("(", "«", '"')  # a name in brackets starts with a capital too
    return _join(text, out)


def _join(text: str, tokens: list[str]) -> str:
    """Put the rewritten tokens back with the original spaces between them."""
    result, position = [], 0
    for match, token in zip(_WORD.finditer(text), tokens):
        result.append(text[position:match.start()])
        result.append(token)
        position = match.end()
    result.append(text[position:])
    return "".join(result)


def proper_name(text: str, territory: Territory | None = None) -> str:
    """A place name in sentence case: `CROIX ROUGE FRANCAISE` → `Croix rouge française`,
    `MDS de POITIERS` → `MDS de Poitiers`; unchanged when it does not shout."""
    if not shouts(text):
        return text
    if territory is not None:  # an intercommunality's own name, as the territory spells it
        official = next((e.nom for e in territory.epcis if search_key(e.nom) == search_key(text)), None)
        if official:
            return official
    named = _replace_names(text, _proper_names(territory))
    cased = _case_words(named, title=False)
    for phrase, spelling in PHRASES.items():
        cased = re.sub(r"\b" + r"[\s-]+".join(phrase.split()) + r"\b", spelling, cased, flags=re.IGNORECASE)
    return cased


def proper_address(text: str, territory: Territory | None = None) -> str:
    """A street address: number, street type in full and in lower case, then the street name in
    title case (`48 AV DE LA LIBERTE` → `48 avenue de la Liberté`); unchanged when it does not shout."""
    if not shouts(text):
        return text
    match = re.match(r"^\s*(\d+\s*(?:bis|ter|[A-Z])?\s+)?([^\W\d_]+)\b\s*(.*)$", text, re.UNICODE)
    if not match:
        return _case_words(text, title=True)
    number, kind, rest = match.group(1) or "", match.group(2), match.group(3)
    street = STREET_TYPES.get(search_key(kind))
    if street is None:
        return (number + _case_words(_replace_names(f"{kind} {rest}".strip(), _proper_names(territory)), title=True))
    name = _case_words(_replace_names(rest, _proper_names(territory)), title=True)
    if name[:1].isupper() and name.split(" ", 1)[0].lower() in CONNECTORS:
        name = name[:1].lower() + name[1:]  # `de la Liberté`, not `De la Liberté`
    name = re.sub(r"\b([DdLl]) ([A-ZÀ-Ý])", r"\1'\2", name)  # `LION D OR` → `Lion d'Or`
    name = re.sub(r"\bD'", "d'", name)
    return f"{number}{street} {name}".strip()
