"""The benchmark's evidence scenarios (scripts/bench) through the public API.

    python3 scripts/bench_evidence.py period BASE_URL TOKEN
        Prints the benchmark dataset's year (the report and the BPF cover it).
    python3 scripts/bench_evidence.py bundle BASE_URL TOKEN SERVER_PID
        As an administrator: an audit bundle of the first 20 sessions of that year, followed until it ends
        (every 0.2 s), the server's resident memory sampled meanwhile. Prints "seconds files
        bytes progress_steps peak_rss_mb"; exits non-zero unless the bundle is ready with its
        progress going from 0 to 100 without going back.
"""

import sys
import time

from bench_enrol_setup import call

SESSIONS = 20
# The benchmark dataset's sessions start on 2027-01-04 (src/demo/scale.rs): its first full year.
# (The first page of the catalogue is not enough: the scenarios' own sessions lie years away.)
YEAR = "2027"


def first_sessions(base, token):
    window = f"from={YEAR}-01-01T00:00:00Z&to={int(YEAR) + 1}-01-01T00:00:00Z"
    items = call(base, "GET", f"/api/v1/catalogue/sessions?limit=200&{window}", token)["items"]
    dated = sorted((s for s in items if s.get("starts_at", "")[:4] == YEAR),
                   key=lambda s: s["starts_at"])
    return YEAR, dated[:SESSIONS]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def bundle(base, token, pid):
    year, sessions = first_sessions(base, token)
    started = time.monotonic()
    job = call(base, "POST", "/api/v1/evidence/bundles", token, {
        "from": f"{year}-01-01", "to": f"{year}-12-31", "sessions": [s["id"] for s in sessions],
    })
    percents, peak = [job["percent"]], rss_mb(pid)
    while job["status"] in ("queued", "running"):
        time.sleep(0.2)
        job = call(base, "GET", f"/api/v1/evidence/bundles/{job['id']}", token)
        percents.append(job["percent"])
        peak = max(peak, rss_mb(pid))
    elapsed = time.monotonic() - started
    steady = all(a <= b for a, b in zip(percents, percents[1:]))
    if job["status"] != "ready" or percents[0] != 0 or percents[-1] != 100 or not steady:
        print(f"bundle {job['status']}: {job.get('failure')}; progress {percents}", file=sys.stderr)
        sys.exit(1)
    print(f"{elapsed:.1f} {job['total']} {job['bytes']} {len(set(percents))} {peak}")


if __name__ == "__main__":
    if sys.argv[1] == "period":
        print(first_sessions(sys.argv[2], sys.argv[3])[0])
    else:
        bundle(sys.argv[2], sys.argv[3], sys.argv[4])
