"""What a text and a query are turned into before they meet: words, their light stems, their variants.

Both sides go through the same functions, so whatever the database (PostgreSQL or SQLite), a word
of the query and a word of the text meet when their stems do.

The stemmer is our own few rules, in the manner of Lucene's ArabicStemmer (Larkey's light10): the
article and its joined forms, the joined و ف ب ل ك where what stays is a word, then the common
suffixes; with a dictionary of the catalogue's broken plurals and loanwords (lexicon.py). Chosen by
measuring each candidate, used on both sides, on the relevance set of the project list
(mostaql/projects/tests/relevance_set.py: 66 projects, 160 queries), on SQLite:

    stemmer                                   recall@10   MRR     other results a query
    these rules and the lexicon               1.000       1.000   0.28
    these rules, no lexicon                   0.905       0.969   0.13
    tashaphyne 0.3.6, its root (get_root)     0.905       0.947   0.62
    tashaphyne 0.3.6, its light stem          0.841       0.947   0.11
    snowballstemmer 3.1.1, arabic             0.800       0.934   0.09

The libraries lose most on broken plurals (0.56-0.83 of that case), on the article with a joined
preposition («للمطاعم», «بالترجمة»: 0.64-0.90) and on Latin names typed in Arabic, which none of them
knows; Tashaphyne's root finds more but joins unrelated words (over twice the stray results), and
Snowball cuts plural suffixes unevenly. The set was written with these rules, so their lead is
partly home advantage; the libraries' misses are real cases of the issue all the same. Our rules
are a page long, have no dependency, and what they do is tested word by word
(mostaql/core/tests/test_search_analysis.py).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from mostaql.core.search.lexicon import BROKEN_PLURALS, LOANWORD_OF, OWN_FIRST_LETTER
from mostaql.core.text import normalize_arabic

# A word is a run of letters and digits (the underscore is not one): the same tokens that
# PostgreSQL's parser and SQLite's unicode61 tokenizer read from the space-separated index text.
_WORD = re.compile(r"[^\W_]+")
# Longer runs are not words anyone searches for (a hash, a pasted URL's middle): never indexed.
MAX_WORD_LENGTH = 40
# At most this many words of a query are used: the rest cannot narrow a list further in practice.
MAX_QUERY_WORDS = 8

_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_JOINED_ARTICLES = ("وال", "بال", "كال", "فال", "لل")
_JOINED_LETTERS = "وفبلك"
# Light10's suffixes after ة → ه and ى → ي (normalize_arabic): an attached pronoun,
# one of two letters with the least that must stay, then each one-letter suffix once.
# Unlike light10 and Lucene, «ان» (the dual) is not one: it ends too many words of
# their own (إعلان، بيان، عنوان، فنان); «إعلان» became «اعل» while «إعلانات» became
# «اعلان», so neither found the other. «ون»/«ين» want four letters to stay, so
# that «قانون» is not «قان» while «قانونيه» is «قانون».
_TWO_LETTER_SUFFIXES = (("ات", 2), ("ون", 4), ("ين", 4), ("يه", 2))
_ONE_LETTER_SUFFIXES = ("ه", "ي")
# Transliteration: one letter for every spelling of "g", and no long vowels (see skeleton()).
_G_LETTERS = str.maketrans({"ج": "ك", "غ": "ك", "ق": "ك"})
_LONG_VOWELS = re.compile("[اوي]")


def words(text: str) -> list[str]:
    """The normalised words of a text, in order, repeats kept."""
    return [word for word in _WORD.findall(normalize_arabic(text)) if len(word) <= MAX_WORD_LENGTH]


@lru_cache(maxsize=100_000)
def written_word(text: str) -> tuple[str, ...]:
    """words() of one word as written (with its diacritics, say), remembered: highlighting asks it of
    every word of every result."""
    return tuple(words(text))


def is_arabic(word: str) -> bool:
    return bool(_ARABIC_LETTER.match(word))


def _strip_article(word: str) -> tuple[str, bool]:
    for article in _JOINED_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article) :]
            break
    else:
        if not (word.startswith("ال") and len(word) >= 4):
            return word, False
    # «الإلكتروني» folds to «الالكتروني»: the article comes off as often as it is there, on both sides.
    while word.startswith("ال") and len(word) >= 4:
        word = word[2:]
    return word, True


def _light_stem(word: str) -> str:
    """The broken plural's singular, then the suffixes off: «مدونات» and «مدونه» are «مدون»,
    «فيديوهات» is «فيديو», «شخصيات» and «شخصيه» are «شخص»."""
    if word in LOANWORD_OF:
        return LOANWORD_OF[word]
    word = BROKEN_PLURALS.get(word, word)
    # An attached «ه»/«ها» (his, her) first: «تطبيقاته» is «تطبيقات» + «ه», then «تطبيق»; and the
    # alef that carried a tanween (folded away), so that «مقالاً» is «مقال».
    for ending, least in (("ها", 3), ("ه", 3), ("ا", 4)):
        if word.endswith(ending) and len(word) - len(ending) >= least:
            word = word[: -len(ending)]
            break
    word = BROKEN_PLURALS.get(word, word)
    for suffix, least in _TWO_LETTER_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= least:
            word = word[: -len(suffix)]
            break
    for suffix in _ONE_LETTER_SUFFIXES:
        if word.endswith(suffix) and len(word) >= 3:
            word = word[:-1]
    return word


@lru_cache(maxsize=100_000)  # pure, and asked again for every word of every highlighted result
def stems(word: str) -> tuple[str, ...]:
    """The stems a normalised word is indexed and searched under: one, or two when its first letter
    may be a joined و ف ب ل ك («لشركه» is «شركه» for «ل»; «برمجه» is not «رمجه»)."""
    if not is_arabic(word):
        return (word,)
    if word in LOANWORD_OF:
        return (LOANWORD_OF[word],)
    bare, had_article = _strip_article(word)
    found = [_light_stem(bare)]
    if (
        not had_article
        and bare[0] in _JOINED_LETTERS
        and len(bare) >= 4
        and bare not in OWN_FIRST_LETTER
        and _light_stem(bare) not in OWN_FIRST_LETTER
    ):
        rest, _ = _strip_article(bare[1:])
        if len(rest) >= 3:
            found.append(_light_stem(rest))
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=10_000)
def skeleton(word: str) -> str:
    """A transliteration's key: «انستجرام», «انستغرام» and «انستاغرام» all give «انستكرم».

    Every spelling of "g" (ج غ ق ك) is one letter and long vowels go (except a first letter), which
    joins the spellings of foreign names; native words that meet by it are only ever fuzzy matches.
    """
    if not is_arabic(word) or len(word) < 4:
        return word
    bare, _ = _strip_article(word)
    bare = bare.translate(_G_LETTERS)
    return bare[0] + _LONG_VOWELS.sub("", bare[1:])


def trigrams(word: str) -> set[str]:
    """PostgreSQL pg_trgm's trigrams of one word (two spaces before it, one after)."""
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def similarity(first: str, second: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all the trigrams of both words."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b) if a or b else 0.0


def edit_distance_at_most_one(first: str, second: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped (optimal string alignment)."""
    if first == second:
        return True
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        differences = [index for index, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
        if len(differences) == 1:
            return True
        if len(differences) == 2 and differences[1] == differences[0] + 1:
            i, j = differences
            return first[i] == second[j] and first[j] == second[i]
        return False
    shorter, longer = sorted((first, second), key=len)
    for index, letter in enumerate(shorter):
        if letter != longer[index]:
            return shorter[index:] == longer[index + 1 :]
    return True


# Typos are forgiven in words of this many letters or more; shorter ones have too many neighbours.
TYPO_MIN_LETTERS = 5
# pg_trgm's own default threshold (pg_trgm.similarity_threshold): its % operator and GIN index find
# the candidates on PostgreSQL, and the same figure filters them on both databases.
TYPO_MIN_SIMILARITY = 0.3


def is_typo_of(typed: str, word: str) -> bool:
    return (
        len(typed) >= TYPO_MIN_LETTERS
        and edit_distance_at_most_one(typed, word)
        and similarity(typed, word) >= TYPO_MIN_SIMILARITY
    )


def is_variant_of(typed: str, word: str) -> bool:
    """Another spelling of a transliterated name (ج/غ/ق/ك, with or without a long vowel)."""
    return len(typed) >= 4 and is_arabic(typed) and skeleton(typed) == skeleton(word)


@dataclass(frozen=True)
class Document:
    """What a searchable row stores: its title's words and stems, and the stems of all its text."""

    title_words: str
    title_stems: str
    stems: str
    all_words: frozenset[str]


def _unique_stems(found: list[str]) -> list[str]:
    return list(dict.fromkeys(stem for word in found for stem in stems(word)))


def document(*, title: str, body: str) -> Document:
    """The index of a title and its other text (description, skills); each word listed once."""
    title_found = list(dict.fromkeys(words(title)))
    body_found = list(dict.fromkeys(words(body)))
    title_stems = _unique_stems(title_found)
    all_stems = list(dict.fromkeys(title_stems + _unique_stems(body_found)))
    return Document(
        title_words=" ".join(title_found),
        title_stems=" ".join(title_stems),
        stems=" ".join(all_stems),
        all_words=frozenset(title_found) | frozenset(body_found),
    )
