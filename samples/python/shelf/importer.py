"""Import books from a CSV export into the catalogue."""

import csv
from dataclasses import dataclass, field


@dataclass
class ImportResult:
    imported: int = 0
    rejected: list = field(default_factory=list)


def parse_authors(value):
    """Split an author cell such as 'Le Guin, Ursula; Tolkien, J. R. R.' into names."""
    return [name.strip() for name in value.split(";") if name.strip()]


def import_books(path, repository):
    """Read a CSV file with isbn,title,authors,year columns and save each valid row.

    Rows with a missing title or a year that is not a number are collected in the result
    instead of stopping the import.
    """
    result = ImportResult()
    with open(path, newline="", encoding="utf-8") as handle:
        for line_number, row in enumerate(csv.DictReader(handle), start=2):
            title = (row.get("title") or "").strip()
            year = (row.get("year") or "").strip()
            if not title or not year.isdigit():
                result.rejected.append((line_number, "missing title or bad year"))
                continue
            repository.save(row["isbn"], title, parse_authors(row.get("authors", "")), int(year))
            result.imported += 1
    return result
