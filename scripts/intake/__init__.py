"""How figures get in: the input workbook and its import, the issue forms and what a submitted form
becomes, GitHub annotations for data problems. Every way in ends as a checked change to the package.
Imports from base and data."""
