"""Run the notebook tests and print `N passed, N failed` (one test per notebook run).

1. `nbdev_test` over all notebooks with the default flags (cells tagged `slow`/`gpu`/`multiproc`/`notest` skipped).
2. Each `--also NOTEBOOK:FLAGS` runs that notebook again with extra flags (e.g. the 2-process training test
   tagged `multiproc`), one notebook at a time after the parallel run, so they cannot collide with other notebooks.
3. `--pipeline PARAMS.yaml` executes the experiment notebooks (nbs/experiments) end to end with papermill, with the
   (tiny) parameters in PARAMS.yaml, one test per notebook, so they cannot rot.

nbdev_test itself only prints `Success.`; we list the notebooks it tests the same way it does, run it with
`--do_print`, and read its failure report.
"""
import argparse, re, subprocess, sys, tempfile, time, traceback
from nbdev.doclinks import nbglob
from nbdev.test import _keep_file

def run(args, n_files):
    "Run nbdev_test with `args`; return the names of failed notebooks."
    t0 = time.time()
    r = subprocess.run(['nbdev_test', '--do_print', '--timing', *args], capture_output=True, text=True)
    print(r.stdout); print(r.stderr, file=sys.stderr)
    failed = []
    if r.returncode != 0:
        m = re.search(r'Tests Failed On The Following Notebooks:\n=+\n(.*)', r.stderr, re.S)
        failed = [l.strip() for l in m.group(1).splitlines() if l.strip()] if m else [f'<nbdev_test {" ".join(args)} crashed>']
    print(f"nbdev_test {' '.join(args)}: {n_files} notebook(s) in {time.time()-t0:.0f}s; failed: {failed}", flush=True)
    return failed

p = argparse.ArgumentParser()
p.add_argument('--also', action='append', default=[], help='NOTEBOOK:FLAGS to run again with extra test flags')
p.add_argument('--pipeline', help='YAML of fspo.experiment.ExperimentParams: run the experiment notebooks with papermill')
opts = p.parse_args()

files = [f for f in sorted(nbglob(None, as_path=True)) if _keep_file(f.absolute(), '.notest')]
failed, total = run([], len(files)), len(files)
for spec in opts.also:
    nb, flags = spec.split(':', 1)
    failed += [f'{x} [{flags}]' for x in run(['--path', nb, '--flags', flags], 1)]
    total += 1
if opts.pipeline:
    from fspo.experiment import ExperimentParams, PIPELINE, run_pipeline
    P = ExperimentParams.from_yaml(opts.pipeline)
    if P.run_dir is None: P = P.replace(run_dir=tempfile.mkdtemp(prefix="fspo-ci-run-"))
    for nb in PIPELINE:
        t0 = time.time(); total += 1
        try: run_pipeline(P, notebooks=(nb,), progress_bar=False)
        except Exception as e:
            traceback.print_exc(); failed.append(f"experiments/{nb}")
        print(f"papermill experiments/{nb}: {time.time()-t0:.0f}s; {'FAILED' if failed and failed[-1] == f'experiments/{nb}' else 'ok'} (outputs in {P.out})", flush=True)
print(f"{total - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
