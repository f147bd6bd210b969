"""Offline docs smoke test: the notebook processing `nbdev_docs` does before Quarto renders the site.

`nbdev_proc_nbs` would first try to download and install Quarto (needs root and internet); this runs the same
steps without that: refresh the Quarto config, build the module index and sidebar, process every notebook into
`_proc/`, and check each notebook came out. The site itself renders with `nbdev_docs` where Quarto exists.
"""
import sys
from pathlib import Path
import nbdev.doclinks
from nbdev.config import get_config
from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
from nbdev.serve import proc_nbs
from nbdev.doclinks import nbglob

cfg = get_config()
refresh_quarto_yml()
nbdev.doclinks._build_modidx()
nbdev_sidebar.__wrapped__(path=cfg.nbs_path)
proc_nbs(cfg.nbs_path, n_workers=0, force=True)
nbs = [Path(f) for f in nbglob(cfg.nbs_path)]
proc = cfg.config_path/'_proc'
missing = [str(f.relative_to(cfg.nbs_path)) for f in nbs if not (proc/f.relative_to(cfg.nbs_path)).exists()]
if missing: sys.exit(f"docs processing produced no output for: {missing}")
print(f"docs smoke test: processed {len(nbs)} notebooks into {proc}")
