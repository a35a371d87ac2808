package org.example.shelf;

import java.util.List;
import java.util.Objects;

/** A book in the catalogue. Immutable; the ISBN-13 identifies it. */
public record Book(String isbn, String title, List<String> authors, int publishedYear, List<String> tags) {
    public Book {
        Objects.requireNonNull(isbn, "isbn");
        Objects.requireNonNull(title, "title");
        if (!IsbnValidator.isValidIsbn13(isbn)) {
            throw new IllegalArgumentException("not a valid ISBN-13: " + isbn);
        }
        authors = List.copyOf(authors);
        tags = List.copyOf(tags);
    }

    /** Whether any author's name contains the given text, ignoring case. */
    public boolean hasAuthorLike(String text) {
        String needle = text.toLowerCase();
        return authors.stream().anyMatch(a -> a.toLowerCase().contains(needle));
    }
}
