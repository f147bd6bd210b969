"""The package's import graph follows the notebooks' reading order: a module may import only modules whose notebook comes
earlier (notebooks sort by name; each module is exported by one notebook with `#| default_exp`). That rules out circles
and arrows from a lower layer back up. Package-internal imports inside functions are refused unless the line says why
with a `# lazy: <reason>` comment. Each module must also import alone in a fresh interpreter.

    python .ci/import_graph.py [--root DIR] [--package NAME] [--no-fresh] [--table]

Exits 1 with one line per problem; `--table` prints the modules in reading order (a markdown table).
"""
import argparse, ast, json, re, subprocess, sys
from pathlib import Path


def module_notebooks(nbs: Path) -> dict:
    "module name -> notebook path (relative to `nbs`), from each notebook's `#| default_exp`."
    out = {}
    for nb in sorted(nbs.glob("*.ipynb")):
        for c in json.loads(nb.read_text())["cells"]:
            src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            m = re.search(r"^#\|\s*default_exp\s+(\S+)", src, re.M)
            if c["cell_type"] == "code" and m:
                out[m.group(1)] = nb.name
                break
    return out


def _targets(node, package: str, mods: set) -> set:
    "Package modules an import statement refers to."
    names = set()
    if isinstance(node, ast.ImportFrom):
        if node.level == 1:
            names |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        elif node.module == package:
            names |= {a.name for a in node.names}
        elif node.module and node.module.startswith(package + "."):
            names.add(node.module.split(".")[1])
    elif isinstance(node, ast.Import):
        names |= {a.name.split(".")[1] for a in node.names if a.name.startswith(package + ".")}
    return names & mods


def edges(pkg: Path, package: str, mods: set) -> list:
    "(importer, imported, line, inside_a_function, lazy_reason) for every package-internal import."
    out = []
    for m in sorted(mods):
        path = pkg / f"{m}.py"
        text = path.read_text()
        lines = text.splitlines()
        tree = ast.parse(text)
        inner = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                 for n in ast.walk(f)}
        for node in ast.walk(tree):
            for t in _targets(node, package, mods):
                why = re.search(r"#\s*lazy:\s*(.+)$", lines[node.lineno - 1])
                out.append((m, t, node.lineno, id(node) in inner, why.group(1).strip() if why else None))
    return out


def problems(root: Path, package: str, fresh: bool = True) -> list:
    "Every rule the package breaks, one line each (empty when the graph follows the reading order)."
    pkg, order = root / package, module_notebooks(root / "nbs")
    mods = {p.stem for p in pkg.glob("*.py") if not p.stem.startswith("_")}
    errs = [f"{package}/{m}.py is exported by no notebook (#| default_exp {m})" for m in sorted(mods - set(order))]
    rank = {m: sorted(order.values()).index(nb) for m, nb in order.items()}
    for a, b, line, inner, lazy in sorted(edges(pkg, package, mods & set(order))):
        if rank[b] >= rank[a]:
            errs.append(f"{package}/{a}.py:{line} imports {package}.{b}, whose notebook {order[b]} does not come before "
                        f"{order[a]}: move the shared piece down a layer")
        elif inner and not lazy:
            errs.append(f"{package}/{a}.py:{line} imports {package}.{b} inside a function: import it at the top, or "
                        f"say why on the line (# lazy: <reason>)")
    if fresh:
        for m in sorted(mods):
            r = subprocess.run([sys.executable, "-c", f"import {package}.{m}"], cwd=root, capture_output=True, text=True)
            if r.returncode:
                errs.append(f"{package}.{m} does not import alone in a fresh interpreter: "
                            f"{(r.stderr.strip().splitlines() or ['?'])[-1]}")
    return errs


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
    docstring's first sentence; a notebook that exports nothing: its description line)."""
    order = {nb: m for m, nb in module_notebooks(root / "nbs").items()}
    rows = ["| notebook | module | what it does |", "|---|---|---|"]
    for nb in sorted((root / "nbs").glob("*.ipynb")):
        if nb.name == "index.ipynb":
            continue
        m = order.get(nb.name)
        p = root / package / f"{m}.py"
        doc = ast.get_docstring(ast.parse(p.read_text())) if m and p.exists() else None
        what = _first_sentence(doc) if doc else _nb_summary(nb)
        rows.append(f"| `{nb.stem}` | {f'`{package}.{m}`' if m else '(tests)'} | {what.replace('|', '/')} |")
    return "\n".join(rows)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(Path(__file__).resolve().parents[1]), help="repository root")
    ap.add_argument("--package", default="fspo")
    ap.add_argument("--no-fresh", action="store_true", help="skip importing each module in a fresh interpreter")
    ap.add_argument("--table", action="store_true", help="print the modules in reading order and exit")
    a = ap.parse_args()
    if a.table:
        print(table(Path(a.root), a.package))
        sys.exit(0)
    errs = problems(Path(a.root), a.package, fresh=not a.no_fresh)
    print("\n".join(errs) if errs else f"import graph ok: {a.package} imports only from earlier notebooks")
    sys.exit(1 if errs else 0)
