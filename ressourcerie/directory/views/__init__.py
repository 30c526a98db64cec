"""The directory's pages, one module per family: ``public`` (search, place page, error
report, writing to a place), ``map``, ``claims`` (asking to manage a listing), ``editing``
(edits and "toujours à jour"), ``staff`` (the team's pages)."""
