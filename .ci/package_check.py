"""Packaging as users install it: `python -m build` makes an sdist and a wheel (the wheel is built from the sdist, so the
sdist must be complete); each installs into a fresh venv and runs `fspo --version` and `fspo demo --help` from an empty
folder, with no checkout on the path.

The wheel is installed the way a user installs it, with its declared dependencies resolved by pip into the fresh venv
(torch first, pinned like `environments/install.sh` does: the CPU build torch==2.13.0 unless `FSPO_TORCH` says
otherwise), then `pip check` must find no broken requirement: a dependency missing from `setup.py`/`settings.ini` fails
here. The sdist is checked for completeness (the wheel is built from it) and installed with `--no-deps`, its
dependencies coming from the environment running this check through a `.pth` line (`--full`: resolve them too). The
check asserts that `fspo` is imported from the fresh venv and not from the checkout.
"""
import argparse, os, subprocess, sys, sysconfig, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def run(cmd, **kw):
    print("$", " ".join(map(str, cmd)), flush=True)
    return subprocess.run(list(map(str, cmd)), check=True, text=True, **kw)

def check(artifact: Path, work: Path, full: bool) -> None:
    "Install `artifact` into a fresh venv and run the fspo commands from an empty folder."
    venv = work/f"venv-{artifact.suffix.strip('.') or 'sdist'}"
    run([sys.executable, "-m", "venv", venv])
    py = venv/"bin"/"python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    pip = [py, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if full:
        run([*pip, os.environ.get("FSPO_TORCH", "torch==2.13.0")], env=env)
    run([*pip, *([] if full else ["--no-deps"]), artifact], env=env)
    if full:
        run([py, "-m", "pip", "check", "--disable-pip-version-check"], env=env)
    if not full:
        site = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True).stdout.strip()
        Path(site, "fspo_check_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    empty = work/"empty"
    empty.mkdir(exist_ok=True)
    where = run([py, "-c", "import fspo; print(fspo.__file__)"], cwd=empty, env=env, capture_output=True).stdout.strip()
    if not where.startswith(str(venv)): sys.exit(f"{artifact.name}: fspo was imported from {where}, not from the fresh venv {venv}")
    v = run([venv/"bin"/"fspo", "--version"], cwd=empty, env=env, capture_output=True).stdout.strip()
    if not v.startswith("fspo "): sys.exit(f"{artifact.name}: fspo --version printed {v!r}")
    for cmd in ("demo", "bench"):  # bench: the developer tools of the subpackage fspo.tools are installed too
        h = run([venv/"bin"/"fspo", cmd, "--help"], cwd=empty, env=env, capture_output=True).stdout
        if f"usage: fspo {cmd}" not in h: sys.exit(f"{artifact.name}: fspo {cmd} --help printed no usage:\n{h}")
    deps = "its dependencies resolved by pip, pip check clean" if full else "--no-deps"
    print(f"ok: {artifact.name} ({deps}) -> {where}; {v}; fspo demo --help and fspo bench --help work", flush=True)

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--full", action="store_true", help="resolve the sdist's dependencies too (the wheel's always are)")
p.add_argument("--keep", action="store_true", help="keep the work folder (two venvs, ~1.6 GB) instead of deleting it")
opts = p.parse_args()
t0 = time.time()
work = Path(tempfile.mkdtemp(prefix="fspo-package-"))
if not opts.keep:  # each run leaves two venvs behind otherwise; repeated runs filled the disk
    import atexit, shutil
    atexit.register(shutil.rmtree, work, ignore_errors=True)
run([sys.executable, "-m", "build", "--outdir", work/"dist", ROOT], env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
wheels, sdists = sorted((work/"dist").glob("fspo-*.whl")), sorted((work/"dist").glob("fspo-*.tar.gz"))
if len(wheels) != 1 or len(sdists) != 1: sys.exit(f"python -m build made {[p.name for p in (work/'dist').iterdir()]}; expected one wheel and one sdist")
import tarfile, zipfile
if not any(n.endswith("LICENSE") for n in zipfile.ZipFile(wheels[0]).namelist()): sys.exit(f"{wheels[0].name} has no LICENSE file")
modules = {p.relative_to(ROOT).as_posix() for p in (ROOT/"fspo").rglob("*.py")}  # every module, subpackages included
missing = sorted(modules - set(zipfile.ZipFile(wheels[0]).namelist()))
if missing: sys.exit(f"{wheels[0].name} lacks {missing} (a subpackage without __init__.py?)")
if not any(n.endswith("/LICENSE") for n in tarfile.open(sdists[0]).getnames()): sys.exit(f"{sdists[0].name} has no LICENSE file")
check(wheels[0], work, full=True)
check(sdists[0], work, full=opts.full)
print(f"package check passed in {time.time() - t0:.0f}s: {wheels[0].name}, {sdists[0].name}")
