"""Benchmark: building + tokenizing few-shot episodes, fspo.data vs a per-row pandas loop like the original FSPO code.

    python bench/episodes.py                      # 100k episodes of 8 shots; baseline timed on 10k and extrapolated
    python bench/episodes.py --baseline-episodes 100000   # time the baseline on all of them (minutes)

The baseline does what the original code does per episode: `groupby` the users, pick rows with `.iloc`, build the
few-shot text by string concatenation, and tokenize each example on its own (as its collate function does). fspo
tokenizes every row's pieces once (batched `datasets.map`) and assembles episodes with NumPy gathers. Both use the
tiny tokenizer of `fspo.synthetic` and the same prompt format. Not a test: it prints the timings and the ratio.
"""
import argparse, time, warnings

import numpy as np
import datasets

from fspo.data import (DataWarning, PromptFormat, assemble_episodes, load_preferences, sample_episodes, tokenize_rows)
from fspo.synthetic import SynthConfig, build_tiny_tokenizer, generate_synthetic


def baseline(df, tok, fmt, num_shots, n_episodes, episodes_per_user, seed=0):
    "Per-row pandas loop (the original's approach): returns the number of episodes built."
    rng = np.random.default_rng(seed)
    pre, post = fmt.wrap(tok)
    out, n = [], 0
    for user, g in df.groupby("user_id"):
        g = g.reset_index(drop=True)
        for _ in range(episodes_per_user):
            if n >= n_episodes: return out
            idx = rng.choice(len(g), size=num_shots + 1, replace=False)
            text = fmt.header
            for i, j in enumerate(idx[:-1]):
                text += fmt.shot_header.format(i=i + 1)
                text += fmt.shot_template.format(prompt=g.iloc[j]["prompt"], chosen=g.iloc[j]["chosen"], rejected=g.iloc[j]["rejected"])
            q = g.iloc[idx[-1]]
            prompt = pre + text + fmt.query_template.format(prompt=q["prompt"]) + post
            p_ids = tok(prompt, add_special_tokens=False)["input_ids"]
            c_ids = tok(q["chosen"], add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
            r_ids = tok(q["rejected"], add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
            out.append((user, p_ids, c_ids, r_ids)); n += 1
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--episodes", type=int, default=100_000)
    ap.add_argument("--shots", type=int, default=8)
    ap.add_argument("--users", type=int, default=1000)
    ap.add_argument("--rows-per-user", type=int, default=50)
    ap.add_argument("--baseline-episodes", type=int, default=10_000, help="episodes the baseline builds (time extrapolated to --episodes)")
    a = ap.parse_args()
    datasets.disable_progress_bars(); warnings.simplefilter("ignore", DataWarning)
    ds, _ = generate_synthetic(SynthConfig(n_users=a.users, questions_per_user=a.rows_per_user))
    tok = build_tiny_tokenizer()
    fmt = PromptFormat()
    per_user = -(-a.episodes // a.users)
    print(f"{len(ds)} rows, {a.users} users; {a.episodes} episodes of {a.shots} shots ({per_user} per user)")

    t0 = time.perf_counter()
    rows = load_preferences(ds)
    t1 = time.perf_counter()
    rows_tok = tokenize_rows(rows, tok, fmt)
    t2 = time.perf_counter()
    ep = sample_episodes(rows, a.shots, per_user, seed=0)
    t3 = time.perf_counter()
    out = assemble_episodes(rows_tok, ep, tok, fmt, max_length=4096)
    t4 = time.perf_counter()
    fspo_s = t4 - t0
    ntok = sum(len(x) for x in out.data.column("prompt_input_ids").to_pylist()[:1000]) / 1000
    print(f"fspo.data: {len(out)} episodes in {fspo_s:.2f}s (validate {t1-t0:.2f}s, tokenize rows {t2-t1:.2f}s, "
          f"sample {t3-t2:.2f}s, assemble {t4-t3:.2f}s); ~{ntok:.0f} prompt tokens per episode")

    df = rows.to_pandas()
    nb = min(a.baseline_episodes, a.episodes)
    t0 = time.perf_counter()
    b = baseline(df, tok, fmt, a.shots, nb, per_user)
    base_s = (time.perf_counter() - t0)
    base_full = base_s * a.episodes / len(b)
    note = "" if len(b) == a.episodes else f" (timed on {len(b)} episodes, extrapolated)"
    print(f"pandas per-row loop: {base_full:.1f}s for {a.episodes} episodes{note}")
    print(f"speed-up: {base_full / fspo_s:.1f}x")


if __name__ == "__main__":
    main()
