"""Benchmark: prefix-shared vs plain two-sequence forward+backward on an FSPO-shaped batch (CPU by default).

An FSPO prompt is N shots (question + chosen + rejected each) and the query; the completions are ~10% of the
sequence. Default: 8 shots x 110 tokens + a 20-token query = 900 prompt tokens, 50-token completions, 4 pairs, a
tiny Llama (~3.6M parameters), 2 CPU threads, sdpa attention.

Reports, per layout: median pairs/s of forward+backward (interleaved repetitions, order alternated), peak RSS growth
of one forward+backward step measured in a fresh subprocess, and the agreement of losses and gradients.
See also `fspo bench` (fspo/tools/bench*.py): the end-to-end training-step comparison incl. TRL, on real FSPO episodes.
Usage: python bench/prefix_sharing.py [--pairs 4 --prompt 900 --completion 50 --reps 7 --threads 2 --vocab 4096]
"""
import argparse, json, os, statistics, subprocess, sys, time

import torch


def build(args):
    from transformers import LlamaConfig, LlamaForCausalLM
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=args.vocab, hidden_size=args.hidden, intermediate_size=args.hidden * 8 // 3,
                      num_hidden_layers=args.layers, num_attention_heads=args.heads, num_key_value_heads=args.heads,
                      max_position_embeddings=4096, attn_implementation=args.attn)
    model = LlamaForCausalLM(cfg).train()
    g = torch.Generator().manual_seed(1)
    toks = lambda n: torch.randint(3, args.vocab, (n,), generator=g).tolist()
    # prompts of slightly different lengths (so there is padding), completions around --completion tokens
    pairs = [dict(prompt_input_ids=toks(args.prompt - 8 * (i % 2)), chosen_input_ids=toks(args.completion + (i % 3)),
                  rejected_input_ids=toks(args.completion - (i % 3))) for i in range(args.pairs)]
    return model, pairs


def step(model, batch):
    from fspo.forward import pair_logps
    from fspo.losses import preference_loss
    model.zero_grad(set_to_none=True)
    c, r = pair_logps(model, batch)
    losses, _, _ = preference_loss(c, r, None, None, beta=0.1, loss_type="dpo", reference_free=True)
    loss = losses.mean()
    loss.backward()
    return loss.item()


def rss_mb():
    with open("/proc/self/statm") as f: return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def hwm_mb():
    "Peak RSS (VmHWM) since the last reset, in MB."
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"): return int(line.split()[1]) / 1024


def memory_child(args, prefix):
    "Run in a fresh process: peak RSS growth (MB) of one forward+backward step (VmHWM reset via /proc/self/clear_refs)."
    from fspo.forward import collate_pairs
    torch.set_num_threads(args.threads)
    model, pairs = build(args)
    batch = collate_pairs(pairs, 0, prefix_sharing=prefix)
    for p in model.parameters(): p.grad = torch.zeros_like(p)      # grads allocated up front in both layouts
    base = rss_mb()
    with open("/proc/self/clear_refs", "w") as f: f.write("5")   # reset the peak-RSS high-water mark
    step(model, batch)
    print(json.dumps({"delta_mb": hwm_mb() - base, "base_mb": base}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=4); ap.add_argument("--prompt", type=int, default=900)
    ap.add_argument("--completion", type=int, default=50); ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2); ap.add_argument("--vocab", type=int, default=4096)
    ap.add_argument("--hidden", type=int, default=256); ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4); ap.add_argument("--attn", default="sdpa")
    ap.add_argument("--memory-child", choices=["prefix", "plain"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child: return memory_child(args, args.memory_child == "prefix")

    from fspo.forward import collate_pairs
    torch.set_num_threads(args.threads)
    model, pairs = build(args)
    n_params = sum(p.numel() for p in model.parameters())
    batches = {"prefix": collate_pairs(pairs, 0, prefix_sharing=True), "plain": collate_pairs(pairs, 0, prefix_sharing=False)}
    seq = args.prompt + 2 * args.completion
    print(f"model: Llama {n_params / 1e6:.2f}M params ({args.layers} layers, hidden {args.hidden}, vocab {args.vocab}, {args.attn}); "
          f"{args.threads} threads; batch: {args.pairs} pairs, prompt ~{args.prompt} tokens, completions ~{args.completion} "
          f"(completions = {2 * args.completion / (args.prompt + 2 * args.completion):.0%} of the packed sequence)")
    print(f"rows x tokens: prefix {tuple(batches['prefix']['input_ids'].shape)}, plain {tuple(batches['plain']['input_ids'].shape)}")

    # agreement of losses and gradients
    res = {}
    for name, b in batches.items():
        loss = step(model, b)
        res[name] = (loss, {n: p.grad.clone() for n, p in model.named_parameters()})
    worst = max(((res["prefix"][1][n] - res["plain"][1][n]).norm() / res["plain"][1][n].norm().clamp(min=1e-12)).item() for n in res["plain"][1])
    print(f"loss prefix {res['prefix'][0]:.6f} plain {res['plain'][0]:.6f} (rel diff {abs(res['prefix'][0] - res['plain'][0]) / abs(res['plain'][0]):.1e}); "
          f"max per-tensor relative grad diff {worst:.1e}")

    # timing: warm-up, then interleaved repetitions with alternating order
    times = {k: [] for k in batches}
    for name, b in batches.items(): step(model, b)
    for rep in range(args.reps):
        order = ["prefix", "plain"] if rep % 2 == 0 else ["plain", "prefix"]
        for name in order:
            t = time.perf_counter(); step(model, batches[name]); times[name].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    pps = {k: args.pairs / med[k] for k in med}
    for k in ("prefix", "plain"):
        print(f"{k:6s}: median {med[k] * 1000:7.1f} ms/step  ({pps[k]:.2f} pairs/s; all: {', '.join(f'{t * 1000:.0f}' for t in times[k])} ms)")
    print(f"speed-up (pairs/s prefix / plain): {pps['prefix'] / pps['plain']:.2f}x  (target >= 1.8x)")

    # peak memory of one step, each layout in a fresh process
    mem = {}
    for name in ("prefix", "plain"):
        out = subprocess.run([sys.executable, __file__, "--memory-child", name] + sys.argv[1:], capture_output=True, text=True, check=True)
        mem[name] = json.loads(out.stdout.strip().splitlines()[-1])["delta_mb"]
    print(f"peak RSS growth of one fwd+bwd step: prefix {mem['prefix']:.0f} MB, plain {mem['plain']:.0f} MB "
          f"(ratio prefix/plain {mem['prefix'] / max(mem['plain'], 1e-9):.2f})")


if __name__ == "__main__":
    main()
