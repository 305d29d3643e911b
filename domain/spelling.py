"""Indonesian spelling and standard forms (etika penulisan): which words may be misspelt.

Two sources: a list of common non-standard forms with their KBBI standard form
(``data/kata_baku.tsv``, always available; these can be fixed in one tap), and
the Hunspell id_ID dictionary read with spylls when it is installed (Debian's
``hunspell-id``); without it only the standard forms are checked.

The dictionary is loaded once per process and every word lookup is memoized,
so a 10,000-character body is checked on every preview (see bench/spelling_bench.py).
"""
from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

DATA = Path(__file__).parent / "data" / "kata_baku.tsv"
#: Where Debian/Ubuntu put Hunspell dictionaries (``hunspell-id``), first found wins.
DICTIONARY_PATHS = ("/usr/share/hunspell/id_ID", "/usr/share/myspell/dicts/id_ID", "/usr/share/myspell/id_ID")
#: At most this many doubtful words get a dictionary suggestion (each costs 5-60 ms once).
SUGGEST_MAX = 3
#: New suggestions stop once one check has spent this long on them (seconds); remembered
#: ones are always shown, so the next preview of the same text names more.
SUGGEST_BUDGET = 0.05

# Spans that are not prose: links, addresses, handles.
_SKIP_RE = re.compile(r"(?:https?://|www\.)\S+|[\w.%+-]+@[\w.-]+\.\w+|[@#]\w+", re.IGNORECASE)
# A word: letters, possibly joined by hyphens or apostrophes ("bersama-sama", "Jum'at"); digits
# are taken in too so that "2024an" or "A4" is seen whole and ignored.
_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# What ends a sentence: the next word may be capitalised for that reason alone.
_SENTENCE_END = frozenset(".!?:;\n\"“”'(")


class Lexicon(Protocol):
    """A spelling dictionary (spylls' Dictionary has this shape)."""

    def lookup(self, word: str) -> bool: ...


@dataclass(frozen=True)
class Misspelling:
    """A doubtful word as written, and what to write instead (None: no suggestion)."""

    word: str
    suggestion: str | None
    #: True when the suggestion is the KBBI standard form of a known non-standard one (fixable).
    standard: bool


@cache
def standard_forms() -> dict[str, str]:
    """Non-standard form (lower case) -> standard form, from the data file."""
    out: dict[str, str] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        wrong, right = line.split("\t")
        out[wrong.strip().lower()] = right.strip()
    return out


@cache
def _standard_words() -> frozenset[str]:
    """Every word of a standard form: known even where the dictionary lacks it."""
    return frozenset(w.lower() for right in standard_forms().values() for w in right.split())


@cache
def dictionary() -> Lexicon | None:
    """The Hunspell id_ID dictionary, loaded once per process; None when it is not installed."""
    for base in DICTIONARY_PATHS:
        if Path(f"{base}.dic").is_file() and Path(f"{base}.aff").is_file():
            try:
                from spylls.hunspell import Dictionary
            except ImportError:  # the package is a dependency; a broken install only loses the check
                return None
            lexicon: Lexicon = Dictionary.from_files(base)
            return lexicon
    return None


def dictionary_path() -> str | None:
    """The dictionary used (its base path), or None when none is installed."""
    return next((b for b in DICTIONARY_PATHS if Path(f"{b}.dic").is_file()), None)


@lru_cache(maxsize=50_000)
def _in_dictionary(word: str) -> bool:
    lexicon = dictionary()
    return True if lexicon is None else bool(lexicon.lookup(word))


_suggested: dict[str, str | None] = {}
#: How many candidates of a word a budget ran out on have been tried already.
_searched: dict[str, int] = {}


def _edits(word: str) -> Iterable[str]:
    """Words one edit away, the likeliest typing slips first: a letter too many (doubled),
    two letters swapped, a wrong vowel, a wrong consonant, a letter missing."""
    n = len(word)
    yield from (word[:i] + word[i + 1:] for i in range(n))
    yield from (word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(n - 1))
    for letters in (_VOWELS, _CONSONANTS):
        yield from (word[:i] + c + word[i + 1:] for i in range(n) for c in letters if c != word[i])
    yield from (word[:i] + c + word[i:] for i in range(n + 1) for c in _VOWELS + _CONSONANTS)


_VOWELS = "aeiou"
_CONSONANTS = "nkrgmlstdhbpjycwfvz"


def _suggestion(word: str, deadline: float) -> str | None:
    """A dictionary word one edit away, remembered; the search stops at ``deadline``.

    Our own edit search rather than spylls' suggest: that one cannot be bounded in time and
    spends over half a second on a long unknown word (a name), too slow for a preview.
    """
    if word in _suggested:
        return _suggested[word]
    lexicon = dictionary()
    if lexicon is None:
        return None
    done = _searched.get(word, 0)
    for i, candidate in enumerate(itertools.islice(_edits(word.lower()), done, None), done):
        if time.perf_counter() > deadline:
            _searched[word] = i  # the next preview goes on from here, with a fresh budget
            return None
        if lexicon.lookup(candidate):
            found: str | None = keep_case(word, candidate)
            break
    else:
        found = None
    _searched.pop(word, None)
    if len(_suggested) > 5_000:  # a long-running process: forget rather than grow
        _suggested.clear()
        _searched.clear()
    _suggested[word] = found
    return found


def forget() -> None:
    """Memoized lookups and suggestions dropped (tests, and the benchmark's cold runs)."""
    _in_dictionary.cache_clear()
    _suggested.clear()
    _searched.clear()


def keep_case(model: str, word: str) -> str:
    """``word`` written in the case of ``model``: "Ijin" -> "Izin", "IJIN" -> "IZIN"."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _words(text: str) -> Iterable[tuple[re.Match[str], bool]]:
    """Each word with whether it starts a sentence, outside links and addresses."""
    skipped = [m.span() for m in _SKIP_RE.finditer(text)]
    for m in _WORD_RE.finditer(text):
        if any(a <= m.start() < b for a, b in skipped):
            continue
        before = text[:m.start()].rstrip(" \t")
        yield m, (not before or before[-1] in _SENTENCE_END)


def _known(word: str, office: frozenset[str]) -> bool:
    low = word.lower()
    if low in office or low in _standard_words():
        return True
    if _in_dictionary(word) or _in_dictionary(low) or _known_active_form(low):
        return True
    # "kabupaten-kota": each part known is enough; reduplication is handled by the dictionary.
    parts = re.split(r"[-'’]", low)
    return len(parts) > 1 and all(p in office or _in_dictionary(p) for p in parts if p)


#: The active-voice prefixes (meN-) a verb's dictionary form carries.
_ACTIVE = ("meng", "mem", "men", "meny", "me")


@lru_cache(maxsize=50_000)
def _known_active_form(low: str) -> bool:
    """id_ID lists many verbs only with their prefix: the imperative "hubungi" and the
    passive "digelar" are right when "menghubungi" / "menggelar" are known words."""
    stem = low[2:] if low.startswith("di") and len(low) > 5 else low
    return len(stem) > 3 and any(_in_dictionary(prefix + stem) for prefix in _ACTIVE)


def _ignored(word: str, sentence_start: bool) -> bool:
    """Numbers, words with digits, acronyms, one letter, and names (capitalised mid-sentence)."""
    if any(c.isdigit() for c in word) or len(word) < 2:
        return True
    if word.isupper() or any(p.isupper() and len(p) > 1 for p in re.split(r"[-'’]", word)):
        return True  # acronyms, also inside a compound ("e-KTP")
    return word[:1].isupper() and not sentence_start


def check(text: str, office: frozenset[str] = frozenset()) -> list[Misspelling]:
    """The doubtful words of ``text``, each once, in order; ``office``: known words, lower case."""
    forms = standard_forms()
    seen: set[str] = set()
    out: list[Misspelling] = []
    suggested = 0
    deadline = 0.0  # set at the first suggestion: the budget is for suggestions alone
    for m, start in _words(text):
        word = m.group()
        low = word.lower()
        if low in seen:
            continue
        if low in forms and low not in office:
            seen.add(low)
            out.append(Misspelling(word, keep_case(word, forms[low]), True))
            continue
        if _ignored(word, start) or _known(word, office):
            continue
        seen.add(low)
        suggestion = None
        if suggested < SUGGEST_MAX:
            suggested += 1
            deadline = deadline or time.perf_counter() + SUGGEST_BUDGET
            suggestion = _suggestion(word, deadline)
        out.append(Misspelling(word, suggestion, False))
    return out


def fix_standard_forms(text: str, office: frozenset[str] = frozenset()) -> str:
    """``text`` with every known non-standard form replaced by its standard form, case kept."""
    forms = standard_forms()
    pieces: list[str] = []
    last = 0
    for m, _ in _words(text):
        low = m.group().lower()
        if low in forms and low not in office:
            pieces += [text[last:m.start()], keep_case(m.group(), forms[low])]
            last = m.end()
    return "".join([*pieces, text[last:]])


def words_of(names: Iterable[str]) -> frozenset[str]:
    """Lower-case words of names (sections, people): known to the check."""
    return frozenset(w.lower() for name in names for w in _WORD_RE.findall(name))
