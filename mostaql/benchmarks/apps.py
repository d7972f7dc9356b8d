from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    # No models: an app only so that its bench and bench_ledger commands are found.
    name = "mostaql.benchmarks"
    label = "benchmarks"
