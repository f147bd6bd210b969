"""Developer tools, not needed to train or evaluate: the benchmark harness behind `fspo bench`, the docs build and its
browser checks, and the test servers the notebooks' tests run against. Exported from the notebooks like the rest of the
package (`#| default_exp tools.<name>`); this file is written by hand (nbdev does not make a subpackage's)."""
