"""Where a benchmark's CPU goes, across all its threads, when py-spy is not installed:

    .venv/bin/python benchmarks/thread_cpu_sampler.py candidate_matrix --runs 30

Runs `benchmarks/<name>.py`'s `main()` with the given arguments while a thread samples every
other thread's stack every 2 ms, weighting each sample by the CPU that thread used since the
previous one (`/proc/self/task/<tid>/schedstat`, ns; Linux only), so a thread sleeping or
waiting on a socket counts nothing. cProfile cannot say this: on Python 3.12 it is one
profiler for all threads, timed by one clock. Prints the CPU per thread group, then by
function: self (the frame running) and inclusive (anywhere on the stack). The figures cover
the whole run, the benchmark's setup included; the sampler's own cost is not counted but
slows the others a little. CPU used between a thread's last sample and its end is lost.
"""

from __future__ import annotations

import collections
import importlib
import sys
import threading
import time
from pathlib import Path
from types import FrameType

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
INTERVAL = 0.002
SHOWN_SELF, SHOWN_INCLUSIVE = 35, 110


def thread_cpu_ns(native_id: int) -> int | None:
    try:
        with open(f"/proc/self/task/{native_id}/schedstat") as stat:
            return int(stat.read().split()[0])
    except OSError:
        return None


def group_of(name: str) -> str:
    if "process_request" in name:
        return "proxy request threads"
    if "serve_forever" in name:
        return "proxy accept thread"
    return "request thread (main)" if name == "MainThread" else name.rsplit("_", 1)[0]


def where(frame: FrameType) -> str:
    path = frame.f_code.co_filename
    for prefix in (str(REPO) + "/", sys.prefix + "/lib/python3.12/site-packages/"):
        path = path.removeprefix(prefix)
    return f"{path}:{frame.f_code.co_name}"


class Sampler:
    def __init__(self) -> None:
        self.by_group: collections.Counter[str] = collections.Counter()
        self.own: collections.Counter[str] = collections.Counter()
        self.inclusive: collections.Counter[str] = collections.Counter()
        self.last: dict[int, int] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        me = threading.get_ident()
        while not self.stopped.is_set():
            time.sleep(INTERVAL)
            frames = sys._current_frames()
            for thread in threading.enumerate():
                if thread.ident == me or thread.native_id is None:
                    continue
                now = thread_cpu_ns(thread.native_id)
                frame = frames.get(thread.ident or 0)
                if now is None or frame is None:
                    continue
                used = now - self.last.get(thread.native_id, now)
                self.last[thread.native_id] = now
                if used > 0:
                    self.count(group_of(thread.name), frame, used)

    def count(self, group: str, frame: FrameType, used: int) -> None:
        self.by_group[group] += used
        self.own[f"{group} | {where(frame)}"] += used
        seen: set[str] = set()
        current: FrameType | None = frame
        while current is not None:
            key = where(current)
            if key not in seen:
                self.inclusive[key] += used
                seen.add(key)
            current = current.f_back

    def report(self) -> None:
        total = sum(self.by_group.values()) or 1
        print(f"sampled CPU {total / 1e9:.2f} s (the whole run, setup included)")
        for title, counter, shown in (
            ("thread groups", self.by_group, None),
            ("self", self.own, SHOWN_SELF),
            ("inclusive", self.inclusive, SHOWN_INCLUSIVE),
        ):
            print(f"--- {title} ---")
            for key, used in counter.most_common(shown):
                print(f"{100 * used / total:5.1f}% {key}")


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    name = sys.argv[1]
    sys.argv = [f"{name}.py", *sys.argv[2:]]
    benchmark = importlib.import_module(f"benchmarks.{name}")
    sampler = Sampler()
    threading.Thread(target=sampler.run, daemon=True, name="sampler").start()
    try:
        benchmark.main()
    finally:
        sampler.stopped.set()
        sampler.report()


if __name__ == "__main__":
    main()
