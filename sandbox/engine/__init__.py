"""The sandbox's relevance engine: an in-memory index built once per process (index.py),
per-algorithm scoring (scoring.py), vectorised filters (filters.py), and the query that ties
them together (search.py). Nothing here touches HTTP; state.py is the only part that reads
the database.
"""
