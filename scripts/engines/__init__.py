"""The last stage: run MkDocs or Zensical on the docs folders, strictly, into a scratch folder that
replaces build/ only when everything worked; the Markdown extensions both engines run, and MkDocs'
caches."""
