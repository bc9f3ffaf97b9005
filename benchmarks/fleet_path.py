"""The fleet path (gs_fleet) and Ansible's no-op floor as contestants of benchmarks/fleet.py, and the scale-out
estimate (AWX / AAP job slicing) computed from the measured per-phone costs.

- F: ``playbooks/drift_fleet.yml`` (one ``gs_fleet`` task per batch, ``-e fail_on_drift=true``), the same
  desired state and phones as A, the same number of threads as C.
- N: a no-op floor, one ``ansible.builtin.set_fact`` per phone and nothing else: what Ansible itself costs per
  host and task before any module does work.
"""

from __future__ import annotations

import os
import statistics

FLEET_PLAYBOOK = os.path.join("playbooks", "drift_fleet.yml")  # relative to the collection measured
NOOP_PLAYBOOK = """---
- name: Ansible's per-host floor, one no-op task per phone
  hosts: phones
  gather_facts: false
  tasks:
    - name: No-op
      ansible.builtin.set_fact:
        bench_noop: true
"""
FLEET_THREADS = 50  # as the raw client's pool (raw_client workers), so F and C wait on the phones alike
TARGET_FLEET_OVER_RAW = 2.0
TARGET_FLAT = 0.20  # cost per phone within 20% from the smallest to the largest curve size of at least 500
TARGET_5000_SECONDS = 60.0
SLICING_FLEETS = (5000, 20000)
SLICING_NODES = (1, 2, 4, 8)


class FleetPathError(RuntimeError):
    """F did not do the work it was asked to (wrote, or logged in more than once per phone)."""


def fleet_run(bench, phones, label="F fleet"):
    playbook = os.path.join(bench.collection_root, FLEET_PLAYBOOK)
    measurement = bench.run_playbook(label, playbook, bench.role_inventory(phones), phones,
                                     ["-e", "fail_on_drift=true", "-e", "fleet_forks=%d" % FLEET_THREADS])
    if measurement.counters.get("writes") != 0:
        raise FleetPathError("%s wrote to a phone" % label)
    if measurement.per_phone("logins") != 1:
        raise FleetPathError("%s: %.2f logins per phone" % (label, measurement.per_phone("logins")))
    return measurement


def noop_run(bench, phones, label="N no-op"):
    path = os.path.join(bench.work_dir, "noop.yml")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(NOOP_PLAYBOOK)
    return bench.run_playbook(label, path, bench.role_inventory(phones), phones)


def _per_phone_ms(measurement, key="seconds"):
    value = measurement.get(key)
    return None if value is None else 1000.0 * value / measurement["phones"]


def targets(results):
    """The issue's fleet targets, from the contestants and the curve (entries with F and C)."""
    found = []
    contestants = results["contestants"]
    points = [point for point in results.get("curve") or [] if "F" in point and "C" in point]
    if "F" in contestants and contestants["F"]["runs"]:
        size = results["config"]["phones"]
        points.append({"phones": size, "F": {"seconds": contestants["F"]["median"], "phones": size},
                       "C": {"seconds": contestants["C"]["median"], "phones": size}})
    by_size = {}
    for point in points:
        by_size.setdefault(point["phones"], point)
    for size in sorted(by_size):
        point = by_size[size]
        ratio = point["F"]["seconds"] / point["C"]["seconds"]
        found.append({"name": "F/C (fleet path / raw Python) at %d phones" % size,
                      "target": "<= %g" % TARGET_FLEET_OVER_RAW, "measured": round(ratio, 2),
                      "met": ratio <= TARGET_FLEET_OVER_RAW})
    large = [by_size[size] for size in sorted(by_size) if size >= 500]
    if len(large) >= 2:
        first, last = (_per_phone_ms(point["F"]) for point in (large[0], large[-1]))
        growth = last / first - 1
        found.append({"name": "F cost per phone, %d to %d phones" % (large[0]["phones"], large[-1]["phones"]),
                      "target": "flat within %d%%" % (100 * TARGET_FLAT),
                      "measured": "%.1f -> %.1f ms (%+.0f%%)" % (first, last, 100 * growth),
                      "met": abs(growth) <= TARGET_FLAT})
        first, last = (_per_phone_ms(point["F"], "cpu_seconds") for point in (large[0], large[-1]))
        if first and last:  # controller CPU: what a busy machine's wall time hides
            growth = last / first - 1
            sizes = (large[0]["phones"], large[-1]["phones"])
            found.append({"name": "F controller CPU per phone, %d to %d phones" % sizes,
                          "target": "flat within %d%%" % (100 * TARGET_FLAT),
                          "measured": "%.1f -> %.1f ms (%+.0f%%)" % (first, last, 100 * growth),
                          "met": abs(growth) <= TARGET_FLAT})
    if len(large) >= 3:
        # What each further phone costs between neighbouring sizes: the slope, with F's fixed start-up (one
        # ansible-playbook run, the inventory) taken out, which the per-phone average above spreads over more phones.
        slopes = [(_per_phone_ms(after) * after["phones"] - _per_phone_ms(before) * before["phones"])
                  / (after["phones"] - before["phones"])
                  for before, after in ((large[index]["F"], large[index + 1]["F"]) for index in range(len(large) - 1))]
        growth = slopes[-1] / slopes[0] - 1 if slopes[0] > 0 else float("inf")
        found.append({"name": "F cost of one more phone, %d to %d phones" % (large[0]["phones"], large[-1]["phones"]),
                      "target": "flat within %d%%" % (100 * TARGET_FLAT),
                      "measured": " -> ".join("%.1f ms" % slope for slope in slopes) + " (%+.0f%%)" % (100 * growth),
                      "met": abs(growth) <= TARGET_FLAT})
    if 5000 in by_size:
        seconds = by_size[5000]["F"]["seconds"]
        found.append({"name": "F at 5000 phones", "target": "< %g s" % TARGET_5000_SECONDS,
                      "measured": "%.1f s" % seconds, "met": seconds < TARGET_5000_SECONDS})
    return found


def _measured_sizes(results, name):
    sizes = {point["phones"]: point[name]["seconds"] for point in results.get("curve") or [] if name in point}
    contestant = results["contestants"].get(name)
    if contestant and contestant["runs"]:
        sizes.setdefault(results["config"]["phones"], contestant["median"])
    return sorted(sizes.items())


def slicing_estimate(results):
    """Wall time of a no-change drift check on k job slices (AWX / AAP), each node like this machine.

    Per contestant a line through its two largest measured sizes, wall(n) = fixed + n * per_phone (one size
    only: no fixed part), so a slice of n/k phones takes fixed + n/k * per_phone. For the role the cost per
    phone grows with n, so a line from smaller sizes underestimates larger slices. Job start, project sync and
    image pull per slice are not measured and come on top.
    """
    models = {}
    for name in ("A", "F", "C"):
        sizes = _measured_sizes(results, name)
        if not sizes:
            continue
        if len(sizes) >= 2 and sizes[-1][0] > sizes[-2][0]:
            (small, small_s), (large, large_s) = sizes[-2], sizes[-1]
            slope = max(0.0, (large_s - small_s) / (large - small))
            fixed = max(0.0, large_s - slope * large)
        else:
            large, large_s = sizes[-1]
            slope, fixed = large_s / large, 0.0
        models[name] = {"fixed_seconds": round(fixed, 3), "seconds_per_phone": round(slope, 6),
                        "from_sizes": [size for size, unused in sizes[-2:]]}
    rows = []
    for fleet in SLICING_FLEETS:
        for nodes in SLICING_NODES:
            rows.append(dict({"phones": fleet, "slices": nodes}, **{
                name: round(model["fixed_seconds"] + model["seconds_per_phone"] * fleet / nodes, 1)
                for name, model in models.items()}))
    return {"models": models, "rows": rows}


def cpu_per_phone_rows(results):
    """Controller CPU per phone (ms) of each contestant at each size measured."""
    rows = []
    for point in results.get("curve") or []:
        rows.append({"phones": point["phones"], **{name: _per_phone_ms(point[name], "cpu_seconds")
                                                   for name in ("A", "F", "N", "C") if name in point}})
    return rows


def markdown(results):
    """The report's sections of the fleet path: contestants, scaling with CPU, slicing estimate."""
    lines = ["", "## The fleet path (F) and Ansible's no-op floor (N)", "",
             "F: `playbooks/drift_fleet.yml`, one `gs_fleet` task per batch, %d threads. N: one no-op `set_fact` "
             "per phone. Per phone: wall and controller CPU (user+sys of the whole tree) in ms." % FLEET_THREADS, "",
             "| phones | " + " | ".join("%s wall | %s CPU" % (name, name) for name in ("A", "F", "N", "C"))
             + " | F/C | F RSS (main) | load before F |",
             "|---:|" + "---:|" * 11]
    for point in results.get("curve") or []:
        cells = []
        for name in ("A", "F", "N", "C"):
            data = point.get(name)
            cells.append("%.1f | %s" % (_per_phone_ms(data), "%.1f" % _per_phone_ms(data, "cpu_seconds")
                                        if data.get("cpu_seconds") is not None else "n/a") if data else "- | -")
        ratio = point["F"]["seconds"] / point["C"]["seconds"] if "F" in point and "C" in point else None
        memory = (point.get("F") or {}).get("memory") or {}
        load = (point.get("F") or {}).get("load_average_before")
        lines.append("| %d | %s | %s | %s | %s |" % (point["phones"], " | ".join(cells),
                                                     "%.2f" % ratio if ratio else "-",
                                                     "%.0f MiB" % (memory["controller_main_peak_rss_bytes"] / 2 ** 20)
                                                     if memory.get("controller_main_peak_rss_bytes") else "-",
                                                     "-" if load is None else "%.1f" % load))
    estimate = results.get("slicing")
    if estimate and estimate["rows"]:
        names = sorted(estimate["models"])
        lines += ["", "### Scale-out estimate: AWX / AAP job slicing", "",
                  "Wall time of a no-change drift check split into k slices, each on a node like this one: per "
                  "contestant a line through its two largest measured sizes, fixed + n/k x per phone (%s). Job "
                  "start, project sync and image pull per slice come on top; the role's cost per phone grows with "
                  "n, so its rows are a lower bound." % ", ".join(
                      "%s %.1f s + %.2f ms/phone from %s phones" % (
                          name, model["fixed_seconds"], 1000 * model["seconds_per_phone"],
                          " and ".join(map(str, model["from_sizes"])))
                      for name, model in sorted(estimate["models"].items())), "",
                  "| phones | slices | " + " | ".join("%s s" % name for name in names) + " |",
                  "|---:|---:|" + "---:|" * len(names)]
        for row in estimate["rows"]:
            lines.append("| %d | %d | %s |" % (row["phones"], row["slices"],
                                               " | ".join("%.0f" % row[name] for name in names)))
    return lines


def median_seconds(measurements):
    return statistics.median(measurement.seconds for measurement in measurements)
