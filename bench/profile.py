"""Summarise a py-spy raw (collapsed stacks) profile: where the time goes.

    python -m bench.profile bench/results/profiles/throughput_1_submit.txt [--top 25]
        [--match dataflow_server] [--idle]

Prints the share of samples per function: "self" (the function was on top of
the stack) and "total" (anywhere in the stack). Samples of an idle event loop
(the selector waiting) are left out unless --idle is given, so shares are of
busy time.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>.*?)(?::(?P<line>\d+))?\)$")
_IDLE = "select (selectors.py:"  # EpollSelector.select: the event loop waiting for I/O


def _short(frame: str) -> str:
    m = _FRAME.match(frame)
    if not m:
        return frame
    file = m.group("file")
    for marker in ("site-packages/", "dataflow_server/", "lib/python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
            if marker == "dataflow_server/":
                file = "dataflow_server/" + file
            break
    return f"{m.group('func')} ({file})"


def load(path: Path, idle: bool) -> tuple[Counter[str], Counter[str], int, int]:
    self_: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    idle_samples = 0
    for raw in path.read_text().splitlines():
        if not raw.strip():
            continue
        stack, _, count_text = raw.rpartition(" ")
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";") if f]
        top = stack.split(";")[-1] if stack else ""
        if _IDLE in top:
            idle_samples += count
            if not idle:
                continue
        samples += count
        if frames:
            self_[frames[-1]] += count
        for f in set(frames):
            total[f] += count
    return self_, total, samples, idle_samples


def by_entry(path: Path, depth: int) -> tuple[Counter[str], int]:
    """Busy samples of the event loop thread, by what the loop was running: the
    first `depth` frames under asyncio's Handle._run (a task's coroutine chain)."""
    out: Counter[str] = Counter()
    total = 0
    for raw in path.read_text().splitlines():
        if not raw.strip():
            continue
        stack, _, count_text = raw.rpartition(" ")
        frames = [_short(f) for f in stack.split(";") if f]
        # asyncio: the loop thread runs run_forever; uvloop (native) shows only Runner.run
        loop_frames = [
            i
            for i, f in enumerate(frames)
            if f.startswith("run_forever (")
            or ".run_forever (" in f
            or f.startswith("Runner.run (")
        ]
        if not loop_frames:
            continue  # not the event loop thread
        if frames and "select (selectors" in frames[-1]:
            continue  # the loop waiting for I/O
        count = int(count_text)
        total += count
        starts = [i for i, f in enumerate(frames) if f.startswith("Handle._run (")]
        if starts and len(frames) > starts[0] + 1:
            key = " > ".join(frames[starts[0] + 1 : starts[0] + 1 + depth])
        elif starts:
            key = "(grpc and asyncio callbacks, native)"
        elif frames[-1].startswith("Runner.run ("):
            key = "(uvloop and grpc callbacks, native)"
        elif not any(f.startswith("run_forever (") for f in frames):
            top = loop_frames[-1] + 1  # uvloop: the coroutine chain sits right under Runner.run
            key = " > ".join(frames[top : top + depth])
        else:
            key = "(event loop)"
        out[key] += count
    return out, total


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("path", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only functions whose text contains this")
    parser.add_argument("--idle", action="store_true", help="count the idle event loop too")
    parser.add_argument(
        "--by-entry", type=int, metavar="DEPTH", help="group the loop's samples by task"
    )
    args = parser.parse_args()
    if args.by_entry:
        entries, loop_samples = by_entry(args.path, args.by_entry)
        print(f"{args.path.name}: {loop_samples} busy samples of the event loop thread")
        for key, count in entries.most_common(args.top):
            print(f"{100 * count / max(loop_samples, 1):5.1f}%  {key}")
        return
    self_, total, samples, idle = load(args.path, args.idle)
    print(f"{args.path.name}: {samples} busy samples ({idle} idle samples left out)")
    for title, counter in (("self", self_), ("total", total)):
        print(f"\n-- {title} --")
        shown = 0
        for func, count in counter.most_common():
            if args.match and args.match not in func:
                continue
            print(f"{100 * count / max(samples, 1):5.1f}%  {func}")
            shown += 1
            if shown >= args.top:
                break


if __name__ == "__main__":
    main()
