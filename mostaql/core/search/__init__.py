"""Arabic search for every list with a search box (projects, people, services).

The apps pass their querysets in; nothing here imports them. See engine.py for how a query
matches and ranks, analysis.py for the Arabic rules, index.py for the indexes on each database.
"""
