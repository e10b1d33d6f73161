"""Markdown extensions of the site, usable by any Markdown pipeline (MkDocs, Zensical, plain ``markdown``).

- ``sitemarkdown.mathml``: every formula becomes MathML at build time (math-core), no script.
- ``sitemarkdown.cjk``: a line break between two Chinese characters is removed, not shown as a space.

Beside them, ``sitemarkdown.prose`` reads what a reader reads on a built page (its language, its
prose): the build's language checks and the language tests share it.
"""
