#!/usr/bin/env bash
# GPU check: on one CUDA device, run a tiny Llama through fspo's GPU paths and print one PASS/FAIL line each:
# bf16 training with sdpa, with flex_attention (when this torch has it), FSDP2 on 1 process and (with 2 GPUs)
# on 2 processes with a resume, prefix-sharing
# equality on the GPU, and `fspo bench`'s GPU section. Exit status 1 if any check failed.
# On a machine without CUDA it prints "no CUDA device: skipped" and exits 0.
# Usage: bash bench/gpu_check.sh [WORKDIR]   (run from the repository root, with fspo installed or on PYTHONPATH)
set -u
PY=${PYTHON:-python}
if ! "$PY" -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
    echo "gpu_check: no CUDA device: skipped"
    exit 0
fi
exec "$PY" "$(dirname "$0")/gpu_check.py" "$@"
