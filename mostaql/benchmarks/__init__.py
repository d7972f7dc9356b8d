"""The two performance benchmarks, on PostgreSQL: `make bench` (the project pages) and `make
bench-ledger` (ledger.post_transfer). An app on top of the layers, like the demo: no app imports it.

corpus.py holds the Arabic words of the generated data, generator.py writes it, transfers.py is the
ledger's workload, harness.py what both share (one percentile, progress lines, gunicorn and the load on
it), database.py the benchmark database; the commands in management/commands/ put them together.
"""
