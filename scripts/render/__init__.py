"""The render stage: the model becomes one docs folder per language (Markdown pages, charts,
downloads, feeds, preview cards) and each language's engine config. Imports from base, data and
intake (the site links to the forms and serves the input workbook)."""
