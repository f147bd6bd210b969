"""The checks of bench/gpu_check.sh (needs a CUDA device): one PASS/FAIL/SKIP line per check, exit 1 if any failed."""
import json, math, subprocess, sys, tempfile, traceback, warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
results = []

def check(name):
    def deco(f):
        try:
            msg = f()
            status = "SKIP" if isinstance(msg, str) and msg.startswith("skipped") else "PASS"
        except Exception as e:
            status, msg = "FAIL", f"{type(e).__name__}: {str(e)[:300]}"
            traceback.print_exc(file=sys.stderr)
        results.append(status)
        print(f"{status} {name}" + (f": {msg}" if msg else ""), flush=True)
        return f
    return deco

def main(work: Path):
    warnings.filterwarnings("ignore")
    from fspo.synthetic import write_synthetic, SynthConfig
    from fspo.tiny import build_tiny_tokenizer, build_tiny_model
    from fspo.data import DataConfig, prepare_data
    from fspo.trainer import TrainConfig, train
    from fspo.forward import collate_pairs, pair_logps
    write_synthetic(work/"data", SynthConfig(n_users=24, questions_per_user=12))
    tok = build_tiny_tokenizer()
    build_tiny_model(tok, out=work/"init")
    data = DataConfig(dataset=str(work/"data"/"preferences.jsonl"), num_shots=4, episodes_per_user=8,
                      eval_episodes_per_user=2, max_length=1024)
    base = dict(data=data, batch_size=4, lr=1e-4, warmup_steps=2, log_with="none", progress=False, eval_max_episodes=16,
                mixed_precision="bf16", log_every=1)

    def run(attn, name):
        sft = train(TrainConfig(stage="sft", model=str(work/"init"), output_dir=str(work/f"sft_{name}"), max_steps=3,
                                attn_implementation=attn, **base))
        rest = {k: v for k, v in base.items() if k != "batch_size"}
        pref = train(TrainConfig(stage="pref", model=str(sft), output_dir=str(work/f"pref_{name}"), max_steps=3,
                                 attn_implementation=attn, batch_size=1, eval_batch_size=1, **rest))
        m = json.loads((pref/"metrics.json").read_text())
        bad = {k: v for k, v in m.items() if k.startswith("eval_") and isinstance(v, float) and not math.isfinite(v)}
        if bad: raise AssertionError(f"non-finite eval metrics {bad}")
        return f"eval reward accuracy {m['eval_reward_accuracy']:.3f}, ties {m['eval_reward_ties']:.3f}"

    @check("bf16 training, sdpa")
    def _(): return run("sdpa", "sdpa")

    @check("bf16 training, flex_attention")
    def _():
        import importlib.util
        if importlib.util.find_spec("torch.nn.attention.flex_attention") is None:
            return "skipped (this torch has no flex_attention)"
        return run("flex_attention", "flex")

    @check("FSDP2 on 1 process")
    def _():
        cfg = TrainConfig(stage="sft", model=str(work/"init"), output_dir=str(work/"fsdp2"), max_steps=2, **base)
        cfg.to_yaml(work/"fsdp2.yaml")
        fsdp2 = ROOT/"environments"/"accelerate"/"fsdp2.yaml"
        cmd = [sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(fsdp2),
               "--num_processes", "1", "-m", "fspo.cli", "train", str(work/"fsdp2.yaml")]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if p.returncode != 0: raise RuntimeError(f"exit {p.returncode}: {p.stderr[-500:]}")
        m = json.loads((work/"fsdp2"/"metrics.json").read_text())
        return f"{m['steps']} steps, eval nll {m['eval_nll']:.3f}"

    @check("FSDP2 on 2 GPUs: trains, resumes, and every process ends with the same weights")
    def _():
        if torch.cuda.device_count() < 2:
            return "skipped (needs 2 CUDA devices)"
        fsdp2 = ROOT/"environments"/"accelerate"/"fsdp2.yaml"
        cfg = TrainConfig(stage="sft", model=str(work/"init"), output_dir=str(work/"fsdp2x2"), max_steps=4, save_every=2,
                          **base)
        cfg.to_yaml(work/"fsdp2x2.yaml")
        launch = [sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(fsdp2), "--num_processes", "2",
                  "-m", "fspo.cli", "train", str(work/"fsdp2x2.yaml")]
        for extra in (["stop_after_steps=2"], ["resume=latest"]):  # stop after a checkpoint, then resume it
            p = subprocess.run(launch + extra, capture_output=True, text=True, timeout=900)
            if p.returncode != 0: raise RuntimeError(f"exit {p.returncode}: {p.stderr[-500:]}")
        m = json.loads((work/"fsdp2x2"/"metrics.json").read_text())
        if m["processes"] != 2 or len(set(m["weights_digest_per_process"])) != 1:
            raise AssertionError(f"processes {m['processes']}, digests {m['weights_digest_per_process']}")
        return f"{m['steps']} steps over a resume, eval nll {m['eval_nll']:.3f}"

    @check("prefix sharing = two passes on the GPU (float32, relative 1e-4)")
    def _():
        from transformers import AutoModelForCausalLM
        ds = prepare_data(data, tok, splits=("train",))["train"].select(range(4))
        ex = [{k: ds[i][k] for k in ("prompt_input_ids", "chosen_input_ids", "rejected_input_ids")} for i in range(4)]
        worst = 0.0
        for attn in ("sdpa", "flex_attention"):
            try: model = AutoModelForCausalLM.from_pretrained(work/"init", attn_implementation=attn).cuda().eval()
            except Exception: continue
            def on_gpu(shared):
                return {k: v.cuda() for k, v in collate_pairs(ex, tok.pad_token_id, prefix_sharing=shared).items()}
            with torch.no_grad():
                a, b = pair_logps(model, on_gpu(True)), pair_logps(model, on_gpu(False))
            for x, y in zip(a, b):
                worst = max(worst, ((x - y).abs() / y.abs().clamp(min=1)).max().item())
        if worst > 1e-4: raise AssertionError(f"relative difference {worst:.2e} > 1e-4")
        return f"worst relative difference {worst:.1e}"

    @check("fspo bench GPU section")
    def _():
        out = work/"bench.md"
        p = subprocess.run([sys.executable, "-m", "fspo.cli", "bench", "--quick", "--out", str(out)],
                           capture_output=True, text=True, timeout=900)
        if p.returncode != 0: raise RuntimeError(f"exit {p.returncode}: {p.stderr[-500:]}")
        text = out.read_text()
        if "GPU" not in text: raise AssertionError("the bench report has no GPU section")
        return f"report in {out}"

if __name__ == "__main__":
    if not torch.cuda.is_available():
        print("gpu_check: no CUDA device: skipped")
        sys.exit(0)
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="fspo_gpu_check_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"gpu_check on {torch.cuda.get_device_name(0)} (torch {torch.__version__}), work folder {work}", flush=True)
    main(work)
    print(f"gpu_check: {results.count('PASS')} passed, {results.count('FAIL')} failed, {results.count('SKIP')} skipped")
    sys.exit(1 if "FAIL" in results else 0)
