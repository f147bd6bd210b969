"""Benchmark: building + tokenizing few-shot episodes, fspo.data vs a per-row pandas loop like the original FSPO code.

    python bench/episodes.py                      # 100k episodes of 8 shots; baseline timed on 10k and extrapolated
    python bench/episodes.py --baseline-episodes 100000   # time the baseline on all of them (minutes)
    python bench/episodes.py --queries-per-episode 4      # multi-query episodes: 4 query pairs share one set of shots

The baseline (`fspo.tools.bench_run.episode_baseline`) does what the original code does per episode: `groupby` the users, pick
rows with `.iloc`, build the few-shot text by string concatenation, and tokenize each example on its own. fspo
tokenizes every row's pieces once (batched `datasets.map`) and assembles episodes with NumPy gathers. Both use the
tiny tokenizer of `fspo.tiny` and the same prompt format. The code lives in `fspo.tools.bench_run.bench_episodes`
(`fspo bench` reports the same comparison). Not a test: it prints the timings and the ratio.
"""
import argparse

from fspo.tools.bench_run import bench_episodes


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--episodes", type=int, default=100_000)
    ap.add_argument("--shots", type=int, default=8)
    ap.add_argument("--users", type=int, default=1000)
    ap.add_argument("--rows-per-user", type=int, default=50)
    ap.add_argument("--baseline-episodes", type=int, default=10_000, help="episodes the baseline builds (time extrapolated to --episodes)")
    ap.add_argument("--queries-per-episode", type=int, default=1, help="K query pairs per set of shots (fspo.query_groups)")
    a = ap.parse_args()
    r = bench_episodes(a.episodes, a.shots, a.users, a.rows_per_user, a.baseline_episodes, a.queries_per_episode)
    print(f"fspo.data: {r['episodes']} episodes of {r['shots']} shots ({a.queries_per_episode} per set of shots) in {r['fspo_s']:.2f}s")
    note = "" if r["baseline_timed_on"] == r["episodes"] else f" (timed on {r['baseline_timed_on']} episodes, extrapolated)"
    print(f"pandas per-row loop: {r['pandas_s']:.1f}s{note}")
    print(f"speed-up: {r['speedup']:.1f}x")


if __name__ == "__main__":
    main()
