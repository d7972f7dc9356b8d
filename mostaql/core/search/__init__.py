"""Arabic search for every list with a search box (projects, the freelancer directory, services).

The apps pass their querysets in; nothing here imports them. analysis.py holds the Arabic rules
(normalisation, light stemming, broken plurals, transliterations, typos), engine.py how a query
matches and ranks, index.py the full-text indexes on each database, highlight.py the marked titles
and excerpts, suggest.py what an empty search offers.

A new searchable list (the services of a `gigs` app, say) plugs in with a few lines:

1. the model inherits core.models.SearchIndexed (three text columns);
2. its migration adds the PostgreSQL vectors, and fills the columns of existing rows:
   RunPython(on_postgresql(vector_column_sql("gigs_service")), on_postgresql(drop_vector_column_sql(...)))
   and RunPython(lambda apps, _: backfill(Service, SearchWord, texts)) (SQLite's FTS5 table and its
   triggers follow on their own after migrate, for every SearchIndexed model);
3. the services that write a row: `indexed = document(title=..., body=...)`, then
   `for column, value in index_fields(indexed).items(): setattr(row, column, value)` before the save,
   and `remember_words(indexed)` after it;
4. the selector: `RankedResults(queryset, expand(parse(text)), recency=("-published_at", "-pk"))`
   for "most relevant", or `search(queryset, query).order_by(...)` for another sort;
5. the template: `{{ service.title|highlight:search }}` and `{{ service.description|excerpt:search }}`.
"""
