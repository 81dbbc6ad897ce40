"""Build a plan's transparency site from its open data. Run with `python -m scripts --help`.

The folders follow the flow, and each imports only from those before it:
base (what every stage uses) → data (read, check, join) → intake (take data in) → render (pages,
charts, downloads) → engines (MkDocs or Zensical, the build). `__main__.py` is the command line.
"""
