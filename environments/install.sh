#!/usr/bin/env bash
# Install fspo into a fresh virtual environment.
#   bash environments/install.sh [VENV_DIR] [EXTRAS]
# VENV_DIR defaults to .venv, EXTRAS to "dev" (nbdev, papermill, jupyterlab, tensorboard).
# torch: on a machine without an NVIDIA GPU we pin the CPU wheel torch==2.13.0 (an unpinned torch pulls a
# multi-GB CUDA build). With a GPU, pip picks the default CUDA build. Override with FSPO_TORCH="torch==X.Y.Z"
# (and PIP_EXTRA_INDEX_URL for a specific CUDA/CPU wheel index).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:-.venv}
EXTRAS=${2:-dev}
PY=${PYTHON:-python3}

"$PY" -c 'import sys; assert sys.version_info >= (3, 10), "fspo needs Python >= 3.10, found " + sys.version' 
"$PY" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
"${PIP[@]}" install -q --upgrade pip
if [ -z "${FSPO_TORCH:-}" ]; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then FSPO_TORCH="torch"; else FSPO_TORCH="torch==2.13.0"; fi
fi
echo "[fspo] installing $FSPO_TORCH into $VENV"
"${PIP[@]}" install -q "$FSPO_TORCH"
echo "[fspo] installing fspo[$EXTRAS] (editable)"
"${PIP[@]}" install -q -e ".[$EXTRAS]"
"$VENV/bin/fspo" --version
