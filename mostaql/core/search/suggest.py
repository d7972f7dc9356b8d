"""What a page offers when a search finds nothing: another spelling, or the nearest catalogue names."""

from django.db import connection

from mostaql.core.models import SearchWord
from mostaql.core.search import analysis
from mostaql.core.search.engine import Query

# Looser than a typo (analysis.is_typo_of): a suggestion is shown, not silently searched for.
SUGGESTION_MIN_SIMILARITY = 0.3


def _nearest_word(word: str) -> str:
    table = SearchWord._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'SELECT word FROM "{table}" WHERE word %% %s', [word])
        else:
            cursor.execute(
                f'SELECT word FROM "{table}" WHERE length(word) BETWEEN %s AND %s',
                [len(word) - 2, len(word) + 2],
            )
        candidates = [found for (found,) in cursor.fetchall() if found != word]
    scored = [(analysis.similarity(word, found), found) for found in candidates]
    scored = [(score, found) for score, found in scored if score >= SUGGESTION_MIN_SIMILARITY]
    return max(scored, key=lambda pair: (pair[0], [-ord(letter) for letter in pair[1]]))[1] if scored else ""


def spelling(query: Query) -> str:
    """The query with each word that no text holds replaced by the nearest word that one does; ""
    when there is no such word. One query to the vocabulary per word of three letters or more."""
    changed, suggested = False, []
    for term in query.terms:
        replacement = ""
        if len(term.word) >= 3 and not SearchWord.objects.filter(stem__in=term.stems).exists():
            replacement = _nearest_word(term.word)
        changed = changed or bool(replacement)
        suggested.append(replacement or term.word)
    return " ".join(suggested) if changed else ""


def nearest_names(query: Query, names: dict[str, list[str]], limit: int = 3) -> list[str]:
    """The keys of the names (a skill's slug → its names) nearest the query: first those that share
    stems with it, then those whose words are most similar. No database."""
    wanted = {stem for term in query.terms for stem in term.stems}
    scored = []
    for key, spellings in names.items():
        name_words = [word for spelling in spellings for word in analysis.words(spelling)]
        shared = len(wanted & {stem for word in name_words for stem in analysis.stems(word)})
        closest = max(
            (analysis.similarity(term.word, word) for term in query.terms for word in name_words), default=0
        )
        if shared or closest >= SUGGESTION_MIN_SIMILARITY:
            scored.append((-shared, -closest, key))
    return [key for _shared, _closest, key in sorted(scored)[:limit]]
