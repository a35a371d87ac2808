package org.example.shelf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory catalogue of books, safe for concurrent use. */
public final class BookRepository {
    private final Map<String, Book> byIsbn = new ConcurrentHashMap<>();

    /** Adds a book, or replaces the book with the same ISBN. */
    public void save(Book book) {
        byIsbn.put(book.isbn(), book);
    }

    public Optional<Book> findByIsbn(String isbn) {
        return Optional.ofNullable(byIsbn.get(isbn.replace("-", "")));
    }

    /** Books by an author, newest first. */
    public List<Book> findByAuthor(String author) {
        List<Book> result = new ArrayList<>();
        for (Book book : byIsbn.values()) {
            if (book.hasAuthorLike(author)) {
                result.add(book);
            }
        }
        result.sort(Comparator.comparingInt(Book::publishedYear).reversed());
        return result;
    }

    /** Books that carry every one of the given tags. */
    public List<Book> findByTags(List<String> tags) {
        return byIsbn.values().stream()
                .filter(book -> book.tags().containsAll(tags))
                .sorted(Comparator.comparing(Book::title))
                .toList();
    }

    public boolean delete(String isbn) {
        return byIsbn.remove(isbn) != null;
    }

    public int size() {
        return byIsbn.size();
    }
}
