"""Benchmark: generation with a shared prompt prefix encoded once (`GenConfig.reuse_prefix`) vs encoded per prompt.

    python bench/generation.py                     # 8 users x 8 questions, 8 shots, 40 new tokens, 3 rounds
    python bench/generation.py --shots 16 --rounds 5

Three workloads on the demo's tiny Llama (untrained, `fspo.tiny.build_tiny_model('1m')`) and prompts built from
the embedded synthetic users: one user's questions asked with the same shots, a fresh set of shots per question (as
the demo's evaluation draws them), and several sampled answers per prompt (RAT's sampled descriptions). Off and on
alternate in one process; the table gives the median seconds, the ratio and whether the texts were the same. The code
lives in `fspo.tools.bench_run.bench_generation`. Not a test: it prints the timings and the ratio.
"""
import argparse

from fspo.tools.bench_run import bench_generation, generation_markdown


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=8)
    ap.add_argument("--questions", type=int, default=8, help="questions per user")
    ap.add_argument("--shots", type=int, default=8)
    ap.add_argument("--samples", type=int, default=4, help="sampled answers per prompt in the 'samples' workload")
    ap.add_argument("--max-new-tokens", type=int, default=40)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    rows = bench_generation(
        a.users, a.questions, a.shots, a.samples, a.max_new_tokens, a.batch_size, a.rounds, a.threads
    )
    print(generation_markdown(rows, a.rounds, a.threads))


if __name__ == "__main__":
    main()
