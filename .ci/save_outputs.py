"""Run notebooks and keep their readable outputs (plots, printed worked examples, tables) in the notebook, so the docs
site shows them: `python .ci/save_outputs.py nbs/22_evaluation.ipynb ...`.

Cells flagged with a test flag of settings.ini (`slow`, `gpu`, ...) are skipped as `nbdev_test` skips them. Kept: images,
HTML/plain results and stdout of at most 6,000 characters without progress bars; dropped: stderr (warnings, progress),
widget views, markdown that shows images from files of the run. Run `nbdev_clean` afterwards, as for any notebook edit.
"""
import configparser, os, re, sys
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

ROOT = Path(__file__).resolve().parents[1]
cfg = configparser.ConfigParser()
cfg.read(ROOT / "settings.ini")
FLAGS = set(cfg["DEFAULT"].get("tst_flags", "").split())
MAX_TEXT = 6000


def skip(cell) -> bool:
    "Like nbdev_test: markdown, the export call and cells with a test flag are not run."
    if cell.cell_type != "code" or "nbdev_export(" in cell.source:
        return True
    flags = {m for line in cell.source.splitlines() for m in re.findall(r"^#\s?\|\s*(\w+)", line)}
    return bool(flags & FLAGS)


def keep(out) -> bool:
    "Outputs worth showing in the docs."
    if out.get("output_type") == "stream":
        text = "".join(out.get("text", ""))
        return out.get("name") == "stdout" and len(text) <= MAX_TEXT and "\r" not in text
    if out.get("output_type") in ("display_data", "execute_result"):
        data = out.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data:
            return False
        if any(k.startswith("image/") for k in data):
            return True
        md = "".join(data.get("text/markdown", ""))
        if re.search(r"!\[[^\]]*\]\((?!https?:|data:)", md):
            return False  # a markdown image of a file that existed only while the cell ran
        text = "".join(data.get("text/html", "") or data.get("text/plain", ""))
        return len(text) <= MAX_TEXT
    return False


def save_outputs(path: Path) -> int:
    nb = read_nb(path)
    os.environ["IN_TEST"] = "1"
    shell = CaptureShell(path)
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        shell.run_all(nb, exc_stop=True, preproc=skip)
    finally:
        os.chdir(cwd)
    n = 0
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = [o for o in c.get("outputs", []) if keep(o)]
            n += len(c.outputs)
    write_nb(nb, path)
    return n


def refilter(path: Path) -> int:
    "Drop the outputs `keep` refuses from a notebook's saved outputs (no rerun); returns how many were dropped."
    nb = read_nb(path)
    n = 0
    for c in nb.cells:
        if c.cell_type == "code" and c.get("outputs"):
            kept = [o for o in c.outputs if keep(o)]
            n += len(c.outputs) - len(kept)
            c.outputs = kept
    write_nb(nb, path)
    return n


if __name__ == "__main__":
    if sys.argv[1:2] == ["--refilter"]:
        for p in sys.argv[2:]:
            print(f"{p}: {refilter(Path(p).resolve())} outputs dropped", flush=True)
        sys.exit(0)
    for p in sys.argv[1:]:
        print(f"{p}: {save_outputs(Path(p).resolve())} outputs kept", flush=True)
