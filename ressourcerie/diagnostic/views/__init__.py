"""The diagnostic's pages, one module per family (taking, results, mine, staff)."""
