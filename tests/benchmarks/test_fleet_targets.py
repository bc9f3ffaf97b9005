"""The fleet path's targets as benchmarks/fleet_path.py computes them from a curve (pure arithmetic, no run).

The per-phone average falls as F's fixed start-up spreads over more phones; the cost of one more phone (the slope
between neighbouring sizes) takes that fixed part out, so a linear cost is "flat" and a growing one is not.
"""

from __future__ import annotations

from benchmarks import fleet_path


def curve_results(fixed_seconds, per_phone_seconds, sizes=(500, 2000, 5000)):
    """Results with a curve whose F costs fixed + n x per-phone (each a list, one per size, or one number)."""
    if not isinstance(per_phone_seconds, (list, tuple)):
        per_phone_seconds = [per_phone_seconds] * len(sizes)
    curve, total = [], fixed_seconds
    previous = 0
    for size, each in zip(sizes, per_phone_seconds):
        total += (size - previous) * each  # each further phone between the sizes costs `each`
        previous = size
        curve.append({"phones": size, "F": {"seconds": total, "cpu_seconds": total, "phones": size},
                      "C": {"seconds": size * 0.004, "phones": size}})
    return {"contestants": {}, "curve": curve, "config": {"phones": 100}}


def target(results, prefix):
    return next(found for found in fleet_path.targets(results) if found["name"].startswith(prefix))


def test_a_linear_cost_is_flat_per_further_phone_while_its_average_falls():
    results = curve_results(fixed_seconds=2.0, per_phone_seconds=0.005)
    average = target(results, "F cost per phone")
    assert average["met"] is False  # 9.0 -> 5.4 ms: the fixed 2 s spread over more phones
    further = target(results, "F cost of one more phone")
    assert further["met"] is True
    assert further["measured"] == "5.0 ms -> 5.0 ms (+0%)"


def test_a_cost_per_further_phone_that_grows_is_not_flat():
    results = curve_results(fixed_seconds=0.5, per_phone_seconds=[0.005, 0.005, 0.007])
    further = target(results, "F cost of one more phone")
    assert further["met"] is False
    assert further["measured"] == "5.0 ms -> 7.0 ms (+40%)"


def test_two_sizes_give_no_slope_to_compare():
    results = curve_results(fixed_seconds=0.5, per_phone_seconds=0.005, sizes=(500, 2000))
    assert not [found for found in fleet_path.targets(results) if found["name"].startswith("F cost of one more")]
