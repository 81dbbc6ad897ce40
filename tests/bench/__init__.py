"""The scale benchmark (issue 9): synthetic packages at 1×, 10× and 100×, each built and measured.

synthetic.py makes the packages, measure.py builds one and measures it (in a process of its own),
figures.py weighs a built site, report.py turns the measurements into report.md and report.json,
__main__.py runs it all: `python -m tests.bench` (`make bench`).
"""
