"""Build the Plan 683 transparency site from its open data. Run with `python -m scripts --help`."""
