package dev.indexer.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a repository within a collection: what every chunk of it carries in the store, so
 * that many repositories share one collection and each is searched, counted and dropped alone.
 * Usually {@code host/owner/name} from the tree's {@code origin} remote, else the tree's directory
 * name; any printable text a user chooses otherwise.
 *
 * @param value the name as given: 1 to 200 characters, no control characters, no ',' (lists of
 *     repositories are written with commas) and not only spaces
 */
public record RepoName(String value) {
    public static final int MAX_LENGTH = 200;

    public RepoName {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH || !value.strip().equals(value)
                || value.indexOf(',') >= 0 || value.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("'" + (value == null ? "" : printable(value))
                    + "' is not a valid repository name; use 1 to " + MAX_LENGTH + " printable characters without"
                    + " ',' and without spaces at either end, such as github.com/owner/name");
        }
    }

    /**
     * The name of this repository's directory in a collection's directory: its letters and digits
     * as far as they go, then a hash of the whole name, so that two names never share one however
     * they differ (case, punctuation, length).
     */
    public String directoryName() {
        String readable = value.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[._-]+", "");
        readable = readable.length() > 40 ? readable.substring(0, 40) : readable;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest, 0, 5);
            return readable.isEmpty() ? hash : readable + "-" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }

    /** For messages: control characters shown as '?', at most 80 characters. */
    private static String printable(String s) {
        String shown = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
    }
}
