#!/usr/bin/python3
"""Reads what bench/run left in RESULTS_DIR and prints the table of medians against the targets
(Markdown), then what the check runs saw (every post and email delivered, when requests arrived).

Wall time is what the targets are about. The CPU column (user + system, hyperfine's mean) is
samvad's own work: on a shared machine wall time can be several times the CPU time, so a target
missed in wall time but met in CPU time was missed because of the machine's load, not samvad."""
import glob
import json
import os
import re
import statistics
import sys

MIB = 1024 * 1024


def load(path):
    with open(path) as f:
        return json.load(f)


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def verdict(ok, cpu_ok=None):
    if ok:
        return "met"
    if cpu_ok:
        return "**missed** (CPU time within target: machine load)"
    return "**missed**"


def hyperfine_results(path):
    return {r["command"]: r for r in load(path)["results"]}


def cpu(r):
    return r["user"] + r["system"]


def time_v(path, field):
    text = open(path).read()
    if field == "wall":
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
        return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    if field == "cpu":
        user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
        return user + float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) * 1024


def fanout(results, rows, notes):
    r = hyperfine_results(os.path.join(results, "fanout.json"))
    one, fifty = r["post, 1 department"], r["post, 50 departments"]
    ratio = fifty["median"] / one["median"]
    runs = f"{len(one['times'])}"
    rows.append(("fan-out: `post -d dept-01` (2 tweets + 1 email), 200 ms per X request", "baseline",
                 ms(one["median"]), ms(cpu(one)), runs, ""))
    rows.append(("fan-out: `post --all --jobs 50` (100 tweets + 50 emails)", "≤ 2x one department",
                 f"{ms(fifty['median'])} = **{ratio:.1f}x**", ms(cpu(fifty)), runs, verdict(ratio <= 2.0)))
    for label, res in (("1 department", one), ("50 departments", fifty)):
        failed = [c for c in res.get("exit_codes", []) if c != 0]
        if failed:
            notes.append(f"fan-out, {label}: {len(failed)} of {len(res['exit_codes'])} timed runs exited "
                         f"{', '.join(map(str, sorted(set(failed))))} instead of 0.")
    posts = load(os.path.join(results, "fanout-posts.json"))
    connections = load(os.path.join(results, "fanout-connections.json"))
    status = load(os.path.join(results, "fanout-status.json"))
    phases = load(os.path.join(results, "fanout-phases.json"))
    arrivals = sorted(q["time_ms"] - phases["start_ms"] for q in load(os.path.join(results, "fanout-requests.json")))
    total = phases["end_ms"] - phases["start_ms"]
    # How many requests were in the stand-in at once (each is held 200 ms), at most.
    in_flight = max(sum(1 for b in arrivals if a <= b < a + 200) for a in arrivals) if arrivals else 0
    notes.append(
        f"fan-out check run (50 departments): exit {phases['exit']}"
        + (f" ({open(os.path.join(results, 'fanout-stderr.txt')).read().strip()})" if phases["exit"] else "")
        + f", {len(posts)} posts on the X stand-in (100 expected), "
        f"{len(connections)} SMTP connections (50 expected), announcement status `{status.get('status')}`. "
        f"Wall {total} ms; the first X request arrived {arrivals[0]} ms after the start, the last at "
        f"{arrivals[-1]} ms; at most {in_flight} requests were in the stand-in at once (50 possible).")


def biglist(results, rows, notes):
    times = sorted(glob.glob(os.path.join(results, "biglist-time-*.txt")))
    walls = [time_v(t, "wall") for t in times]
    cpus = [time_v(t, "cpu") for t in times]
    rss = [time_v(t, "rss") for t in times]
    conns = [len(load(p)) for p in sorted(glob.glob(os.path.join(results, "biglist-connections-*.json")))]
    accepted = [sum(1 for q in load(p) if q["reply"].startswith("250"))
                for p in sorted(glob.glob(os.path.join(results, "biglist-rcpts-*.json")))]
    standin = []
    for p in sorted(glob.glob(os.path.join(results, "biglist-standin-ticks-*.txt"))):
        ticks, hz = open(p).read().split()
        standin.append(int(ticks) / int(hz))
    wall, peak, n = statistics.median(walls), statistics.median(rss), f"{len(times)}"
    rows.append(("10,000 subscribers, one list: wall time", "< 10 s", ms(wall), ms(statistics.median(cpus)), n,
                 verdict(wall < 10)))
    rows.append(("10,000 subscribers: peak RSS (`/usr/bin/time -v`)", "< 30 MiB", f"{peak / MIB:.1f} MiB", "", n,
                 verdict(peak < 30 * MIB)))
    rows.append(("10,000 subscribers: SMTP connections", "1", ", ".join(map(str, sorted(set(conns)))), "", n,
                 verdict(set(conns) == {1})))
    notes.append(
        "10,000 subscribers: wall " + ", ".join(ms(w) for w in walls) + "; samvad CPU " +
        ", ".join(ms(c) for c in cpus) + "; SMTP stand-in CPU " + ", ".join(ms(s) for s in standin) +
        "; peak RSS " + ", ".join(f"{r / MIB:.1f}" for r in rss) + " MiB; recipients accepted " +
        ", ".join(map(str, accepted)) + " (10,001 expected: the list address and 10,000 subscribers).")


def lists(results, rows, notes):
    backend_file = os.path.join(results, "store-backend.txt")
    backend = open(backend_file).read().strip() if os.path.exists(backend_file) else "sqlite"
    on = " (PostgreSQL)" if backend == "postgresql" else ""
    sizes = sorted({int(re.search(r"lists-(\d+)-post-", p).group(1))
                    for p in glob.glob(os.path.join(results, "lists-*-post-*.txt"))})
    base = None
    for n in sizes:
        posts = sorted(glob.glob(os.path.join(results, f"lists-{n}-post-*.txt")))
        statuses = sorted(glob.glob(os.path.join(results, f"lists-{n}-status-*.txt")))
        wall = statistics.median(time_v(t, "wall") for t in posts)
        cpu_s = statistics.median(time_v(t, "cpu") for t in posts)
        rss = statistics.median(time_v(t, "rss") for t in posts)
        status_rss = statistics.median(time_v(t, "rss") for t in statuses)
        growth = statistics.median(int(b) - int(a) for a, b in (open(p).read().split() for p in
                                   sorted(glob.glob(os.path.join(results, f"lists-{n}-store-*.txt")))))
        accepted = [open(p).read().strip() for p in sorted(glob.glob(os.path.join(results, f"lists-{n}-accepted-*.txt")))]
        if base is None:
            base = (rss, status_rss)
        runs = f"{len(posts)}"
        rows.append((f"list of {n:,}{on}: `post` wall time", "", ms(wall), ms(cpu_s), runs, ""))
        rows.append((f"list of {n:,}{on}: `post` peak RSS", "≤ 1,000's + 5 MiB",
                     f"{rss / MIB:.1f} MiB ({(rss - base[0]) / MIB:+.1f})", "", runs,
                     verdict(rss - base[0] <= 5 * MIB)))
        rows.append((f"list of {n:,}{on}: `status --json` peak RSS", "≤ 1,000's + 5 MiB",
                     f"{status_rss / MIB:.1f} MiB ({(status_rss - base[1]) / MIB:+.1f})", "", runs,
                     verdict(status_rss - base[1] <= 5 * MIB)))
        rows.append((f"list of {n:,}{on}: store growth", "≤ 10 MB for 200,000" if n == 200000 else "",
                     f"{growth / 1e6:.2f} MB", "", runs, verdict(growth <= 10e6) if n == 200000 else ""))
        notes.append(f"list of {n:,}{on}: recipients accepted by the SMTP stand-in per run: {', '.join(accepted)} "
                     f"({n + 1:,} expected: the list address and {n:,} subscribers).")


TARGETS = {"count TEXT": 0.010, "preview (1 template, 1 department)": 0.030, "check (sample configuration)": 0.100,
           "status (100,000 deliveries)": 0.050, "history (100,000 deliveries)": 0.050,
           "history -d (100,000 deliveries)": 0.050}


def hyperfine_rows(results, name, prefix, rows):
    for command, r in hyperfine_results(os.path.join(results, name)).items():
        target = TARGETS.get(command)
        rows.append((f"{prefix}: `{command}`", f"< {target * 1000:.0f} ms" if target else "",
                     f"{ms(r['median'])} (σ {r['stddev'] * 1000:.1f} ms)", ms(cpu(r)), f"{len(r['times'])}",
                     verdict(r["median"] < target, cpu(r) < target) if target else ""))


def main(results):
    rows, notes = [], []
    if os.path.exists(os.path.join(results, "fanout.json")):
        fanout(results, rows, notes)
    if glob.glob(os.path.join(results, "biglist-time-*.txt")):
        biglist(results, rows, notes)
    if glob.glob(os.path.join(results, "lists-*-post-*.txt")):
        lists(results, rows, notes)
    if os.path.exists(os.path.join(results, "cold.json")):
        hyperfine_rows(results, "cold.json", "cold start", rows)
    if os.path.exists(os.path.join(results, "store.json")):
        hyperfine_rows(results, "store.json", "store", rows)

    print("| benchmark | target | median (wall) | CPU (user+sys) | runs | result |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    for note in notes:
        print("\n" + note)
    loads = [open(os.path.join(results, f)).read().strip() for f in ("loadavg-before.txt", "loadavg-after.txt")
             if os.path.exists(os.path.join(results, f))]
    revision = os.path.join(results, "revision.txt")
    if os.path.exists(revision):
        print(f"\nsamvad built from {open(revision).read().strip()}, Release (`build-bench/`).")
    if loads:
        print(f"\nLoad average (1, 5, 15 min) before and after: {' / '.join(loads)} on {os.cpu_count()} CPUs.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
