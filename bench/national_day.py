"""The country at 50× (issue 22 item 6): a national day replayed against one xaso instance.

40,000 dossiers over the 3,321 communes, filed during a working day's office hours (07:30–11:30
and 13:30–17:00 local, busiest mid-morning), 59 % of them online through the public API (a birth
registration with two attachments, a PDF and a photo, or an extract copy with the signed
authorisation as a photo) and 41 % at a commune's desk through the staff API with that commune's
officer's token (received at once; a birth registration with its scanned certificate, or an
extract copy). Citizens look their dossier up later in the day (on average LOOKUPS times each:
code and secret from the answer). The day is replayed at SPEED× on its working time (the lunch
break skipped: 7.5 h at 50× is 9 min), open loop: each request starts at its scheduled moment,
whatever the others are waiting for, so the lag behind the schedule shows when the instance
cannot keep up.

  # once per database (Django; DATABASE_URL): every commune ready, a desk token for each
  .venv/bin/python bench/national_day.py --prepare
  # the replay (plain HTTP; production settings: see bench/load/run.sh, which does both)
  .venv/bin/python bench/national_day.py --base http://127.0.0.1:8170 [--speed 50] [--fraction 1]

Prints the achieved rate against the schedule, the lag (p50/p99), the latencies per kind and the
errors (a run with errors is not a valid run: exit 1)."""

import argparse
import heapq
import json
import os
import queue
import random
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "load"))

import payloads  # noqa: E402
from steps import Client, percentile  # noqa: E402

# Local office hours and how busy each part is (relative arrivals per hour).
HOURS = [
    ((7, 30), (8, 0), 0.6),
    ((8, 0), (9, 0), 1.4),
    ((9, 0), (10, 0), 1.6),
    ((10, 0), (11, 0), 1.2),
    ((11, 0), (11, 30), 0.7),
    ((13, 30), (14, 0), 0.7),
    ((14, 0), (15, 0), 1.0),
    ((15, 0), (16, 0), 0.9),
    ((16, 0), (17, 0), 0.6),
]
MORNING_END, AFTERNOON_START = 11 * 3600 + 1800, 13 * 3600 + 1800
DAY_START = 7 * 3600 + 1800
WORKING_SECONDS = (MORNING_END - DAY_START) + (17 * 3600 - AFTERNOON_START)  # 7.5 h


def default_plan_path() -> Path:
    var = Path(os.environ.get("XASO_VAR_DIR", ROOT / "var"))
    return var / "bench" / "national.json"


# --- preparing the database (Django) ------------------------------------------------------------


def prepare(communes: int, path: Path) -> None:
    """Every commune as bench data makes them (agency code, the catalogue offered, a desk officer,
    a receiving account: `xaso.demo.bench_data`), and a fresh API token for each desk officer
    (`token_issue`, as a sign-in gives; valid XASO_API_TOKEN_HOURS)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from xaso.accounts.services import token_issue
    from xaso.demo.bench_data import _place, bench_communes
    from xaso.demo.seed import seed_demo
    from xaso.places.models import Commune

    if connection.vendor != "postgresql":
        raise SystemExit("the national day runs on PostgreSQL: set DATABASE_URL")
    began = time.monotonic()
    if not Commune.objects.filter(code="DEMO-PL").exists():
        seed_demo()
    password_hash = make_password(settings.XASO_DEMO_PASSWORD)
    chosen = bench_communes(communes)
    if len(chosen) < communes:
        raise SystemExit(f"only {len(chosen)} communes here: xaso load-places first")
    plan = []
    for number, commune in enumerate(chosen, start=1):
        with transaction.atomic():
            place = _place(commune, password_hash)
            raw, _token = token_issue(user=place.reception)
        plan.append({
            "commune": commune.code, "province": commune.province.code,
            "village": place.village, "token": raw,
        })  # fmt: skip
        if number % 500 == 0:
            print(f"  {number}/{len(chosen)} communes ready, {time.monotonic() - began:.0f} s")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plan))
    print(f"# {len(plan)} communes ready in {time.monotonic() - began:.0f} s: {path}")


# --- the schedule -------------------------------------------------------------------------------


def working_offset(seconds_of_day: float) -> float:
    """Seconds of working time since 07:30 (the lunch break does not count)."""
    if seconds_of_day <= MORNING_END:
        return seconds_of_day - DAY_START
    return (MORNING_END - DAY_START) + seconds_of_day - AFTERNOON_START


def arrival(rng: random.Random) -> float:
    """A moment of the day (seconds since midnight, local), drawn by HOURS' weights."""
    spans = [((h1 * 60 + m1) * 60, (h2 * 60 + m2) * 60, w) for (h1, m1), (h2, m2), w in HOURS]
    weights = [(end - start) * weight for start, end, weight in spans]
    start, end, _ = rng.choices(spans, weights)[0]
    return rng.uniform(start, end)


def schedule(args, plan: list[dict]) -> list[tuple[float, int, str, dict]]:
    """(replay second, order, kind, data) for every dossier, sorted by time."""
    rng = random.Random(args.seed)
    count = round(args.dossiers * args.fraction)
    events = []
    for number in range(count):
        moment = working_offset(arrival(rng)) / args.speed
        online = rng.random() < args.online
        kind = ("online_" if online else "desk_") + ("birth" if rng.random() < 0.45 else "copy")
        events.append((moment, number, kind, {"place": rng.choice(plan), "seed": rng.random()}))
    events.sort(key=lambda e: e[0])
    return events


# --- the requests -------------------------------------------------------------------------------

JPEG = payloads.jpeg(1)
BORN = (date.today() - timedelta(days=12)).isoformat()  # registered on time: free


def _upload(client: Client, name: str, kind: str, data: bytes, headers: dict) -> str:
    body, content_type = payloads.multipart(name, kind, data)
    status, _, answer = client.request(
        "POST", "/api/v1/uploads", body, {**headers, "Content-Type": content_type}
    )
    if status != 201:
        raise Failure(f"upload {status} {answer[:200]!r}")
    return str(json.loads(answer)["id"])


class Failure(Exception):
    pass


def file_dossier(client: Client, kind: str, data: dict) -> dict:
    """One dossier filed: its uploads then the dossier itself. Returns the 201 answer."""
    place, rng = data["place"], random.Random(data["seed"])
    commune, village, province = place["commune"], place["village"], place["province"]
    desk = kind.startswith("desk_")
    headers = {"Authorization": f"Bearer {place['token']}"} if desk else {}
    if kind.endswith("birth"):
        files = [("giay-chung-sinh.pdf", "application/pdf", payloads.PDF)]
        if not desk:  # the citizen's phone: the paper's two sides, one as a photo
            files.append(("giay-chung-sinh-2.jpg", "image/jpeg", JPEG))
        tokens = [_upload(client, *f, headers) for f in files]
        body = payloads.birth(rng, commune, village, province, tokens, born=BORN)
    else:
        body = payloads.extract_copy(rng, commune, village, copies=1 + rng.randrange(2))
        if not desk:  # filed for a relative, with their signed authorisation photographed
            body["form"]["relationship"] = "authorised"
            body["form"]["authorization"] = [
                _upload(client, "uy-quyen.jpg", "image/jpeg", JPEG, headers)
            ]
    if desk:
        body |= {"channel": "counter", "receive": True, "applicant_confirmed": True}
    else:
        body |= {"channel": "online", "receive": False}
    status, _, answer = client.request(
        "POST", "/api/v1/dossiers", payloads.encoded(body),
        {**headers, "Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
    )  # fmt: skip
    if status != 201:
        raise Failure(f"{kind} {commune} {status} {answer[:300]!r}")
    return json.loads(answer)


def look_up(client: Client, data: dict) -> None:
    status, _, answer = client.request(
        "GET", f"/api/v1/dossiers/lookup?code={data['code']}&secret={data['secret']}"
    )
    if status != 200:
        raise Failure(f"lookup {data['code']} {status} {answer[:200]!r}")


# --- the replay ---------------------------------------------------------------------------------


class Replay:
    def __init__(self, args, events):
        self.args, self.began = args, 0.0
        self.heap = list(events)
        heapq.heapify(self.heap)
        self.heap_lock = threading.Lock()
        self.work: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.lags: list[float] = []
        self.dossier_starts: list[float] = []
        self.latencies: dict[str, list[float]] = {}
        self.failures: list[str] = []
        self.errors = 0
        self.order = len(events)
        self.end_of_day = WORKING_SECONDS / args.speed
        self.rng = random.Random(args.seed + 1)

    def later(self, moment: float, kind: str, data: dict) -> None:
        with self.heap_lock:
            self.order += 1
            heapq.heappush(self.heap, (moment, self.order, kind, data))

    def dispatch(self) -> None:
        """Hands each event to the workers at its moment (open loop)."""
        while True:
            with self.heap_lock:
                if not self.heap:
                    if self.work.unfinished_tasks == 0:
                        break
                    moment = None
                else:
                    moment = self.heap[0][0]
                    if moment <= time.perf_counter() - self.began:
                        self.work.put(heapq.heappop(self.heap))
                        continue
            wait = 0.005 if moment is None else moment - (time.perf_counter() - self.began)
            time.sleep(min(max(wait, 0.0), 0.05))
        for _ in range(self.args.workers):
            self.work.put(None)

    def worker(self) -> None:
        client = Client(self.args.base)
        while (item := self.work.get()) is not None:
            moment, _order, kind, data = item
            started = time.perf_counter() - self.began
            try:
                if kind == "lookup":
                    look_up(client, data)
                else:
                    answer = file_dossier(client, kind, data)
                    with self.lock:
                        self.dossier_starts.append(started)
                    self.plan_lookups(moment, answer)
            except Failure as failure:
                with self.lock:
                    self.failures.append(str(failure))
            except OSError as error:
                with self.lock:
                    self.errors += 1
                    self.failures.append(f"{kind}: {error!r}")
            else:
                with self.lock:
                    self.lags.append(started - moment)
                    self.latencies.setdefault(kind, []).append(
                        time.perf_counter() - self.began - started
                    )
            finally:
                self.work.task_done()

    def plan_lookups(self, filed: float, answer: dict) -> None:
        """The citizen looks the dossier up later that day: on average LOOKUPS times, each
        between 10 minutes and 3 hours (day time) after the moment they filed it (the schedule's,
        not the server's: a late answer does not move the citizen's day), if the day is not
        over; a moment already past is sent at once."""
        times = 0
        share = self.args.lookups
        with self.lock:
            while share > 0:
                times += 1 if self.rng.random() < min(share, 1.0) else 0
                share -= 1
            delays = [self.rng.uniform(600, 3 * 3600) / self.args.speed for _ in range(times)]
        for delay in delays:
            if filed + delay < self.end_of_day:
                self.later(filed + delay, "lookup", {"code": answer["code"],
                                                   "secret": answer["lookup_secret"]})  # fmt: skip

    def run(self) -> float:
        self.began = time.perf_counter()
        threads = [threading.Thread(target=self.worker) for _ in range(self.args.workers)]
        for thread in threads:
            thread.start()
        self.dispatch()
        for thread in threads:
            thread.join()
        return time.perf_counter() - self.began


def peak(moments: list[float], window: float) -> int:
    """The most moments within any `window` (sorted input)."""
    best, first = 0, 0
    for last, moment in enumerate(moments):
        while moment - moments[first] > window:
            first += 1
        best = max(best, last - first + 1)
    return best


def report(args, events, replay: Replay, seconds: float, plan) -> int:
    dossiers = sum(len(v) for k, v in replay.latencies.items() if k != "lookup")
    online = sum(len(v) for k, v in replay.latencies.items() if k.startswith("online_"))
    planned = len(events)
    print(
        f"# national day: {planned:,} dossiers scheduled ({args.online:.0%} online) over "
        f"{len(plan):,} communes, 07:30–11:30 and 13:30–17:00 at {args.speed:g}× "
        f"(schedule {WORKING_SECONDS / args.speed:.0f} s), {args.workers} client threads; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}"
    )
    print(
        f"achieved: {dossiers:,} dossiers ({online:,} online) and "
        f"{len(replay.latencies.get('lookup', [])):,} lookups in {seconds:.0f} s: "
        f"{dossiers / seconds:.1f} dossiers/s against "
        f"{planned / (WORKING_SECONDS / args.speed):.1f}/s scheduled (day average)"
    )
    hour = 3600 / args.speed  # one hour of the day, in replay seconds
    print(
        f"busiest hour of the day: {peak(sorted(e[0] for e in events), hour) / hour:.1f} "
        f"dossiers/s scheduled, {peak(sorted(replay.dossier_starts), hour) / hour:.1f} started"
    )
    lags = replay.lags
    print(
        f"lag behind schedule: p50 {percentile(lags, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(lags, 0.99) * 1000:.0f} ms, max {max(lags, default=0) * 1000:.0f} ms"
    )
    names = {
        "online_birth": "online birth registration (2 uploads + dossier)",
        "online_copy": "online extract copy (1 upload + dossier)",
        "desk_birth": "desk birth registration (1 scan + dossier)",
        "desk_copy": "desk extract copy (dossier)",
        "lookup": "status lookup (API)",
    }
    for kind, label in names.items():
        values = replay.latencies.get(kind, [])
        p50, p95, p99 = (percentile(values, s) * 1000 for s in (0.5, 0.95, 0.99))
        print(f"  {label:<50} n={len(values):>6,}  p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  "
              f"p99 {p99:6.0f} ms")  # fmt: skip
    failed = len(replay.failures)
    print(f"errors: {failed} ({replay.errors} connection errors)")
    for failure in replay.failures[:5]:
        print(f"  {failure}")
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prepare", action="store_true", help="ready the communes (Django)")
    parser.add_argument("--base", default="http://127.0.0.1:8170")
    parser.add_argument("--plan", type=Path, default=None, help="(default var/bench/national.json)")
    parser.add_argument("--communes", type=int, default=3321)
    parser.add_argument("--dossiers", type=int, default=40_000)
    parser.add_argument("--online", type=float, default=0.59)
    parser.add_argument("--lookups", type=float, default=1.0, help="per dossier, on average")
    parser.add_argument("--speed", type=float, default=50)
    parser.add_argument("--fraction", type=float, default=1.0, help="of the day's dossiers")
    parser.add_argument("--workers", type=int, default=64, help="client threads")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    path = args.plan or default_plan_path()
    if args.prepare:
        prepare(args.communes, path)
        return
    if not path.exists():
        raise SystemExit(f"no {path}: run bench/national_day.py --prepare first")
    plan = json.loads(path.read_text())[: args.communes]
    # Every kind answers before the day starts (and the tokens are still valid).
    replay = Replay(args, [])
    client = Client(args.base)
    for kind in ("online_birth", "online_copy", "desk_birth", "desk_copy"):
        try:
            answer = file_dossier(client, kind, {"place": plan[-1], "seed": 0.5})
            look_up(client, {"code": answer["code"], "secret": answer["lookup_secret"]})
        except Failure as failure:
            raise SystemExit(f"not ready: {failure} (tokens expire: --prepare again)") from None
    events = schedule(args, plan)
    replay = Replay(args, events)
    seconds = replay.run()
    sys.exit(report(args, events, replay, seconds, plan))


if __name__ == "__main__":
    main()
