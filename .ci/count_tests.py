"""Run `nbdev_test` over the notebooks and print `N passed, N failed` (one test per notebook).

nbdev_test itself only prints `Success.`; we list the notebooks it will test the same way it does, run it with
`--do_print`, and read its failure report.
"""
import re, subprocess, sys, time
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.test import _keep_file

files = [f for f in sorted(nbglob(None, as_path=True)) if _keep_file(f.absolute(), '.notest')]
t0 = time.time()
r = subprocess.run(['nbdev_test', '--do_print', '--timing'], capture_output=True, text=True)
print(r.stdout); print(r.stderr, file=sys.stderr)
failed = []
if r.returncode != 0:
    m = re.search(r'Tests Failed On The Following Notebooks:\n=+\n(.*)', r.stderr, re.S)
    failed = [l.strip() for l in m.group(1).splitlines() if l.strip()] if m else ['<nbdev_test crashed>']
n_failed = len(failed); n_passed = max(len(files) - n_failed, 0)
print(f"tested {len(files)} notebooks in {time.time()-t0:.0f}s; failed: {failed}")
print(f"{n_passed} passed, {n_failed} failed")
sys.exit(1 if n_failed or r.returncode else 0)
