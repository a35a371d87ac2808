"""Tools for importing and analysing the bookshelf catalogue."""
