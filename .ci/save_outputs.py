"""The outputs the docs site shows (plots, printed worked examples, tables), kept in the notebooks and kept current.

    python .ci/save_outputs.py --write [NB ...]   # run the notebooks, keep their readable outputs (the one command)
    python .ci/save_outputs.py --check [NB ...]   # CI: run them again; a saved output that no longer matches fails
    python .ci/save_outputs.py --refilter NB ...  # drop outputs `keep` refuses, without running anything
    python .ci/save_outputs.py NB ...             # as --write NB ...

Without NB: the home page (`nbs/index.ipynb`) and every notebook that has saved outputs. Cells flagged with a test flag
of settings.ini (`slow`, `gpu`, ...) are skipped as `nbdev_test` skips them. Kept: images, HTML/plain results and stdout
of at most 6,000 characters without progress bars; dropped: stderr (warnings, progress), widget views, markdown that
shows images from files of the run. `--check` compares the text of every kept output, cell by cell, with volatile bits
(durations, temporary paths, memory addresses, loopback ports) masked, decimals up to float noise, images by their number; each
differing cell is one line.
Run `nbdev_clean` after `--write`, as for any notebook edit.
"""

import configparser
import json
import os
import re
import sys
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

ROOT = Path(__file__).resolve().parents[1]
cfg = configparser.ConfigParser()
cfg.read(ROOT / "settings.ini")
FLAGS = set(cfg["DEFAULT"].get("tst_flags", "").split())
MAX_TEXT = 6000
HOME = ROOT / "nbs" / "index.ipynb"


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


def run(path: Path):
    "The notebook at `path` run as nbdev_test runs it (in its folder), with only the outputs `keep` keeps."
    nb = read_nb(path)
    os.environ["IN_TEST"] = "1"
    shell = CaptureShell(path)
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        shell.run_all(nb, exc_stop=True, preproc=skip)
    finally:
        os.chdir(cwd)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = [o for o in c.get("outputs", []) if keep(o)]
    return nb


def save_outputs(path: Path) -> int:
    nb = run(path)
    write_nb(nb, path)
    return sum(len(c.outputs) for c in nb.cells if c.cell_type == "code")


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


_VOLATILE = [
    (re.compile(r"\x1b\[[0-9;]*m"), ""),
    (re.compile(r"(/tmp|/var/folders|/private/var)/[\w./-]*"), "<tmp>"),
    (re.compile(re.escape(str(ROOT))), "<repo>"),
    (re.compile(r"0x[0-9a-f]{6,}"), "<addr>"),
    (re.compile(r"\b(127\.0\.0\.1|localhost):\d+"), r"\1:<port>"),  # test servers take a free port each run
    (re.compile(r"\b\d+(\.\d+)?\s*(ms|µs|us|s|sec|seconds|min|minutes|h)\b"), "<time>"),
    (re.compile(r"'(minutes|seconds)': \d+(\.\d+)?"), r"'\1': <time>"),  # durations printed in a dict
    (re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?\S*"), "<date>"),
    (re.compile(r"[ \t]+\n"), "\n"),
]


def shown(out) -> str:
    "The comparable text of one output: images by kind only, text with volatile bits masked."
    d = out.get("data", {})
    if any(k.startswith("image/") for k in d):
        return "<image>"
    text = "".join(out.get("text", "")) if out.get("output_type") == "stream" else ""
    for k in ("text/plain", "text/markdown", "text/html"):
        text = text or "".join(d.get(k, ""))
    for pat, rep in _VOLATILE:
        text = pat.sub(rep, text)
    return text.strip()


_NUMBER = re.compile(r"-?\d+\.(\d+)(?:e(-?\d+))?")


def close(x: re.Match, y: re.Match) -> bool:
    "Two printed decimals that are the same number: 1e-6 apart relatively, or one unit of their last digit apart."
    a, b = float(x.group(0)), float(y.group(0))
    unit = 10.0 ** -min(len(x.group(1)), len(y.group(1))) * 10.0 ** int(x.group(2) or 0)
    return abs(a - b) <= max(1e-6 * max(abs(a), abs(b)), 1.01 * unit)


def same(a: str, b: str) -> bool:
    "Equal texts up to float noise across machines and thread counts (`close` decimals)."
    if _NUMBER.sub("#", a) != _NUMBER.sub("#", b):
        return False
    return all(close(x, y) for x, y in zip(_NUMBER.finditer(a), _NUMBER.finditer(b)))


def check(path: Path) -> list[str]:
    "One line per code cell whose saved outputs differ from those of a fresh run."
    saved, fresh = read_nb(path), run(path)
    rel, problems = path.relative_to(ROOT), []
    code = lambda nb: [c for c in nb.cells if c.cell_type == "code"]
    for i, (a, b) in enumerate(zip(code(saved), code(fresh))):
        sa, sb = "\n".join(shown(o) for o in a.get("outputs", [])), "\n".join(shown(o) for o in b.outputs)
        if not same(sa, sb):
            j = next((k for k, (x, y) in enumerate(zip(sa, sb)) if x != y), min(len(sa), len(sb)))
            k = max(0, j - 30)
            was, now = sa[k : j + 50] or "(nothing)", sb[k : j + 50] or "(nothing)"
            first = a.source.strip().splitlines()[0][:60] if a.source.strip() else ""
            problems.append(f"{rel}: code cell {i + 1} ({first!r}): saved {was!r}, now {now!r}")
    return problems


def default_notebooks() -> list[Path]:
    "The home page and every notebook under nbs/ that has saved outputs."
    nbs = sorted(p for p in (ROOT / "nbs").rglob("*.ipynb") if not any(s.startswith((".", "_")) for s in p.parts))
    has = lambda p: any(c.get("outputs") for c in json.loads(p.read_text())["cells"])
    return [HOME] + [p for p in nbs if p != HOME and has(p)]


if __name__ == "__main__":
    args = sys.argv[1:]
    mode = args.pop(0) if args and args[0] in ("--write", "--check", "--refilter") else "--write"
    paths = [Path(p).resolve() for p in args] or ([] if mode == "--refilter" else default_notebooks())
    if mode == "--refilter":
        for p in paths:
            print(f"{p}: {refilter(p)} outputs dropped", flush=True)
    elif mode == "--write":
        for p in paths:
            print(f"{p.relative_to(ROOT)}: {save_outputs(p)} outputs kept", flush=True)
    else:
        problems = []
        for p in paths:
            problems += check(p)
        for line in problems:
            print(line)
        n = len(paths)
        print(f"saved outputs: {n} notebooks checked, {len(problems)} cell(s) out of date", flush=True)
        if problems:
            print("run: python .ci/save_outputs.py --write && nbdev_clean — then commit the notebooks")
            sys.exit(1)
