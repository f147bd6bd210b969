"""Docs smoke test (CI): build the docs site as `fspo docs --no-quarto` does — nbdev's processing of every notebook,
then mkdocs with the Material theme — and check it: every notebook processed; every local link, `#anchor`, image and
the favicon resolve; no output shows a Python traceback. Warnings (a notebook in no section of the navigation, a cell
that mixes imports with other code, no committed demo run under nbs/results/) are one line each and do not fail.
Where Quarto is installed `fspo docs` builds with nbdev_docs instead; this checks the build every machine can run.
"""
import sys, tempfile
from pathlib import Path

from fspo.tools.docs import build_and_check, site_pages

out = Path(tempfile.mkdtemp(prefix="fspo-docs-smoke-")) / "site"
site, problems = build_and_check(out, quarto=False)
for p in problems:
    print(f"docs: {p}")
print(f"docs smoke test: {len(site_pages(site))} pages built into {site}, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
