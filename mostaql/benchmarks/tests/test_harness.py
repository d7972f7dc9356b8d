"""The one percentile both benchmarks report their p50 and p95 with."""

import math

from mostaql.benchmarks.harness import percentile


def test_the_percentile_is_the_nearest_rank():
    latencies = [float(value) for value in range(100, 0, -1)]  # 100 … 1, in no particular order

    assert percentile(latencies, 0.50) == 50
    assert percentile(latencies, 0.95) == 95
    assert percentile(latencies, 1.0) == 100


def test_a_single_latency_is_every_percentile_of_itself():
    assert percentile([7.5], 0.50) == percentile([7.5], 0.95) == 7.5


def test_no_latencies_have_no_percentile():
    assert math.isnan(percentile([], 0.95))
