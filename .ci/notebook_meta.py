#!/usr/bin/env python
"""Every notebook under nbs/ opens clean in JupyterLab and is clean already: it names its kernel (`kernelspec` python3,
language python) and its language (`language_info` name python), and `nbdev_clean` would change nothing in it.

    python .ci/notebook_meta.py          # check; one line per problem, exit status 1 when there is one
    python .ci/notebook_meta.py --fix    # add the kernelspec and language_info where missing (metadata only), then
                                         # run nbdev_clean on the notebooks yourself

With `jupyter_hooks = True` in settings.ini and nbdev's hooks installed (`nbdev_install_hooks`), JupyterLab runs
`nbdev_clean` on every save, so a notebook saved in JupyterLab stays as this check wants it."""

import argparse, json, platform, sys
from pathlib import Path

from nbdev.clean import clean_nb
from nbdev.config import get_config
from execnb.nbio import nb2str

# nbdev_clean sets the kernelspec's display_name to its name, so "python3" is what a clean notebook holds
KERNELSPEC = {"display_name": "python3", "language": "python", "name": "python3"}
LANGUAGE_INFO_NAME = "python"
# what ipykernel reports, so JupyterLab (which writes the kernel's language_info on save) changes nothing; only the
# version differs on another Python
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": LANGUAGE_INFO_NAME,
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": platform.python_version(),
}


def notebooks(nbs: Path) -> list[Path]:
    "The notebooks nbdev_clean cleans: under `nbs`, outside folders whose name starts with `_` or `.`."
    skip = lambda p: any(q.startswith(("_", ".")) for q in p.relative_to(nbs).parts[:-1])
    return sorted(p for p in nbs.rglob("*.ipynb") if not skip(p))


def clean_text(nb: dict, cfg) -> str:
    "The text `nbdev_clean` would write for notebook `nb` (a copy is cleaned)."
    nb = json.loads(json.dumps(nb))
    keys, cell_keys = cfg.get("allowed_metadata_keys").split(), cfg.get("allowed_cell_metadata_keys").split()
    clean_nb(nb, cfg.clear_all, keys, cell_keys, cfg.clean_ids)
    return nb2str(nb)


def problems(path: Path, cfg) -> list[str]:
    "What is wrong with the notebook at `path` (empty: nothing)."
    text = path.read_text(encoding="utf-8")
    meta = json.loads(text).get("metadata", {})
    out = []
    ks = meta.get("kernelspec") or {}
    if ks.get("name") != "python3" or ks.get("language") != "python":
        out.append(f"no python3 kernelspec (has {ks or 'none'})")
    if (meta.get("language_info") or {}).get("name") != LANGUAGE_INFO_NAME:
        out.append("no language_info with name python")
    if clean_text(json.loads(text), cfg) != text:
        out.append("not clean: run nbdev_clean")
    return out


def fix(path: Path) -> bool:
    "Add the kernelspec and language_info to the notebook at `path` where missing; True when it was changed."
    nb = json.loads(path.read_text(encoding="utf-8"))
    meta = nb.setdefault("metadata", {})
    before = json.dumps(meta, sort_keys=True)
    ks = meta.get("kernelspec") or {}
    if ks.get("name") != "python3" or ks.get("language") != "python":
        meta["kernelspec"] = dict(KERNELSPEC)
    if (meta.get("language_info") or {}).get("name") != LANGUAGE_INFO_NAME:
        meta["language_info"] = dict(LANGUAGE_INFO)
    if json.dumps(meta, sort_keys=True) == before:
        return False
    path.write_text(nb2str(nb), encoding="utf-8")
    return True


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fix", action="store_true", help="add the missing metadata (then run nbdev_clean)")
    p.add_argument("--nbs", default=None, help="the notebooks' folder (default: settings.ini's nbs_path)")
    args = p.parse_args(argv)
    cfg = get_config()
    nbs = Path(args.nbs or cfg.nbs_path)
    if args.fix:
        changed = [n for n in notebooks(nbs) if fix(n)]
        print(f"metadata added to {len(changed)} notebook(s); now run nbdev_clean")
        return 0
    bad = [(n, w) for n in notebooks(nbs) for w in problems(n, cfg)]
    for n, w in bad:
        print(f"{n}: {w}")
    print(f"{len(notebooks(nbs))} notebooks checked, {len(bad)} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
