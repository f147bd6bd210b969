"""The package's import graph follows the notebooks' reading order: a module may import only modules whose notebook comes
earlier (notebooks sort by their path under `nbs/`, folders included, e.g. `nbs/<group>/NN_name.ipynb`; each module is
exported by one notebook with `#| default_exp`, dotted for a subpackage: `tools.bench` is `fspo/tools/bench.py`). That
rules out circles and arrows from a lower layer back up. Package-internal imports inside functions are refused unless
the line says why with a `# lazy: <reason>` comment. Each module must also import alone in a fresh interpreter.

    python .ci/import_graph.py [--root DIR] [--package NAME] [--no-fresh] [--table [--write PAGE]]

Exits 1 with one line per problem; `--table` prints the modules in reading order (a markdown table), and with
`--write nbs/guides/contributing.ipynb` puts it in place of the layout table in that page (a markdown notebook).
"""
import argparse, ast, json, re, subprocess, sys
from pathlib import Path

SKIP_DIRS = {"experiments"}  # notebooks under nbs/ that are not part of the library's reading order


def notebooks(nbs: Path) -> list:
    "The notebooks under `nbs` in reading order (sorted by relative path), less hidden, `_`-prefixed and `SKIP_DIRS`."
    found = (p for p in nbs.rglob("*.ipynb") if p.is_file())
    keep = lambda rel: not any(x.startswith((".", "_")) or x in SKIP_DIRS for x in rel.parts[:-1])
    return sorted((p for p in found if keep(p.relative_to(nbs))), key=lambda p: p.relative_to(nbs).as_posix())


def module_notebooks(nbs: Path) -> dict:
    "module name (dotted inside the package) -> notebook path relative to `nbs`, from each `#| default_exp`."
    out = {}
    for nb in notebooks(nbs):
        for c in json.loads(nb.read_text())["cells"]:
            src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            m = re.search(r"^#\|\s*default_exp\s+(\S+)", src, re.M)
            if c["cell_type"] == "code" and m:
                out[m.group(1)] = nb.relative_to(nbs).as_posix()
                break
    return out


def package_modules(pkg: Path) -> set:
    "Dotted names of the package's modules (`tools/bench.py` -> `tools.bench`), less `__init__` and `_private` files."
    rels = (p.relative_to(pkg).with_suffix("") for p in pkg.rglob("*.py"))
    return {".".join(r.parts) for r in rels if not any(x.startswith("_") for x in r.parts)}


def _longest(parts: list, mods: set):
    "The longest leading run of `parts` that names a module of `mods` (None if none does)."
    for i in range(len(parts), 0, -1):
        if ".".join(parts[:i]) in mods:
            return ".".join(parts[:i])
    return None


def _targets(node, package: str, mods: set, importer: str = "") -> set:
    """Package modules (dotted names) an import statement in module `importer` refers to: `from .x import`,
    `from ..core import` (relative to `importer`'s subpackage), `from fspo.tools import bench`,
    `import fspo.tools.bench`."""
    if isinstance(node, ast.Import):
        found = (_longest(a.name.split(".")[1:], mods) for a in node.names if a.name.startswith(package + "."))
        return {m for m in found if m}
    if not isinstance(node, ast.ImportFrom):
        return set()
    tail = node.module.split(".") if node.module else []
    if node.level:
        here = importer.split(".")[:-1]  # the importer's subpackage, inside the package
        up = node.level - 1
        return _from_targets(here[: len(here) - up] + tail, node, mods) if up <= len(here) else set()
    return _from_targets(tail[1:], node, mods) if tail[:1] == [package] else set()


def _from_targets(parts: list, node, mods: set) -> set:
    "Modules `from <parts> import names` refers to: the module `parts` names, or each name that is a module itself."
    out = {_longest(parts + [a.name], mods) or _longest(parts, mods) for a in node.names}
    return {m for m in out if m}


def edges(pkg: Path, package: str, mods: set) -> list:
    "(importer, imported, line, inside_a_function, lazy_reason) for every package-internal import."
    out = []
    for m in sorted(mods):
        path = pkg / (m.replace(".", "/") + ".py")
        text = path.read_text()
        lines = text.splitlines()
        tree = ast.parse(text)
        inner = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                 for n in ast.walk(f)}
        for node in ast.walk(tree):
            for t in _targets(node, package, mods, m):
                why = re.search(r"#\s*lazy:\s*(.+)$", lines[node.lineno - 1])
                out.append((m, t, node.lineno, id(node) in inner, why.group(1).strip() if why else None))
    return out


def problems(root: Path, package: str, fresh: bool = True) -> list:
    "Every rule the package breaks, one line each (empty when the graph follows the reading order)."
    pkg, order = root / package, module_notebooks(root / "nbs")
    mods = package_modules(pkg)
    errs = [f"{package}/{m.replace('.', '/')}.py is exported by no notebook (#| default_exp {m})"
            for m in sorted(mods - set(order))]
    rank = {m: sorted(order.values()).index(nb) for m, nb in order.items()}
    for a, b, line, inner, lazy in sorted(edges(pkg, package, mods & set(order))):
        if rank[b] >= rank[a]:
            errs.append(f"{package}/{_file(a)}:{line} imports {package}.{b}, whose notebook {order[b]} does not come "
                        f"before {order[a]}: move the shared piece down a layer")
        elif inner and not lazy:
            errs.append(f"{package}/{_file(a)}:{line} imports {package}.{b} inside a function: import it at the top, "
                        f"or say why on the line (# lazy: <reason>)")
    if fresh:
        for m in sorted(mods):
            r = subprocess.run([sys.executable, "-c", f"import {package}.{m}"], cwd=root, capture_output=True, text=True)
            if r.returncode:
                errs.append(f"{package}.{m} does not import alone in a fresh interpreter: "
                            f"{(r.stderr.strip().splitlines() or ['?'])[-1]}")
    return errs


def _file(m: str) -> str:
    "The file of a dotted module name, relative to the package: `tools.bench` -> `tools/bench.py`."
    return m.replace(".", "/") + ".py"


def _first_sentence(text: str) -> str:
    "The first sentence of a text's first paragraph, on one line."
    para = " ".join(text.strip().split("\n\n")[0].split())
    m = re.search(r"(?<=[.!?])\s", para)
    return para[: m.start()] if m else para


def _nb_summary(nb: Path) -> str:
    "A notebook's `> description` line (nbdev's front matter), else its title."
    cells = json.loads(nb.read_text())["cells"]
    md = next((c for c in cells if c["cell_type"] == "markdown"), None)
    text = ("".join(md["source"]) if isinstance(md["source"], list) else md["source"]) if md else ""
    desc = re.search(r"^>\s*(.+)$", text, re.M)
    title = re.search(r"^#\s+(.+)$", text, re.M)
    return desc.group(1) if desc else title.group(1) if title else ""


def table(root: Path, package: str) -> str:
    """Markdown table of the notebooks in reading order: the module each exports and what it does (the module
    docstring's first sentence; a notebook that exports nothing: its description line). Notebooks that export nothing
    and whose name does not start with a digit (index, guides) are left out."""
    nbs = root / "nbs"
    order = {nb: m for m, nb in module_notebooks(nbs).items()}
    rows = ["| notebook | module | what it does |", "|---|---|---|"]
    for nb in notebooks(nbs):
        rel = nb.relative_to(nbs)
        m = order.get(rel.as_posix())
        if not m and not rel.name[:1].isdigit():
            continue  # a guide or page, not a numbered notebook of the reading order
        p = root / package / _file(m) if m else None
        doc = ast.get_docstring(ast.parse(p.read_text())) if p and p.exists() else None
        what = _first_sentence(doc) if doc else _nb_summary(nb)
        name = rel.with_suffix("").as_posix()
        rows.append(f"| `{name}` | {f'`{package}.{m}`' if m else '(tests)'} | {what.replace('|', '/')} |")
    return "\n".join(rows)


TABLE_RE = re.compile(r"^\| notebook \| module \| what it does \|\n(?:\|[^\n]*(?:\n|$))*", re.M)


def _src(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def page_table(page: Path) -> str:
    "The layout table in markdown notebook `page` (the first markdown cell that holds one); '' if it has none."
    for c in json.loads(Path(page).read_text())["cells"]:
        m = TABLE_RE.search(_src(c)) if c["cell_type"] == "markdown" else None
        if m:
            return m.group(0).rstrip("\n")
    return ""


def write_table(root: Path, package: str, page: Path) -> bool:
    "Put `table(root, package)` in place of the layout table in markdown notebook `page`; True if the page changed."
    nb, new = json.loads(Path(page).read_text()), table(root, package)
    cell = next((c for c in nb["cells"] if c["cell_type"] == "markdown" and TABLE_RE.search(_src(c))), None)
    if cell is None:
        raise SystemExit(f"{page} has no layout table (a markdown table whose header is `| notebook | module | ...`)")
    src = _src(cell)
    m = TABLE_RE.search(src)
    out = src[: m.start()] + new + m.group(0)[len(m.group(0).rstrip("\n")) :] + src[m.end() :]
    if out == src:
        return False
    cell["source"] = out.splitlines(keepends=True) if isinstance(cell["source"], list) else out
    Path(page).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return True


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(Path(__file__).resolve().parents[1]), help="repository root")
    ap.add_argument("--package", default="fspo")
    ap.add_argument("--no-fresh", action="store_true", help="skip importing each module in a fresh interpreter")
    ap.add_argument("--table", action="store_true", help="print the modules in reading order and exit")
    ap.add_argument("--write", metavar="PAGE", help="with --table: replace the layout table in this markdown notebook")
    a = ap.parse_args()
    if a.write and not a.table:
        ap.error("--write goes with --table")
    if a.table and a.write:
        changed = write_table(Path(a.root), a.package, Path(a.write))
        print(f"{a.write}: layout table {'updated' if changed else 'already up to date'}")
        sys.exit(0)
    if a.table:
        print(table(Path(a.root), a.package))
        sys.exit(0)
    errs = problems(Path(a.root), a.package, fresh=not a.no_fresh)
    print("\n".join(errs) if errs else f"import graph ok: {a.package} imports only from earlier notebooks")
    sys.exit(1 if errs else 0)
