"""What every stage uses: the build's caches on disk, the one place data becomes safe text, files
whose bytes depend on the data only. Imports nothing from the other folders."""
