package dev.indexer.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of {@code count} equal parts of a tree, for workers that index one repository side by side:
 * a file belongs to the part its path falls in, by a hash of its path relative to the root. The
 * hash is SHA-256, so that every worker, on any machine, JVM or platform, puts a file in the same
 * part, and a rename is the only thing that moves it. Parts are ranges of the hash's first 32
 * bits rather than remainders, so a part is also a range that a store could filter on.
 *
 * @param index this part, from 0 (as a Kubernetes Indexed Job's {@code JOB_COMPLETION_INDEX})
 * @param count how many parts the tree is cut into; 1 for the whole tree
 */
public record Shard(int index, int count) {
    /** The whole tree: every file. */
    public static final Shard ALL = new Shard(0, 1);

    /** Far more workers than any tree needs; the bound keeps a typo from meaning a million parts. */
    public static final int MAX_COUNT = 4096;

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");

    public Shard {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException(rule(index + "/" + count)
                    + " (N must be from 1 to " + MAX_COUNT + ")");
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(rule(index + "/" + count) + " (I counts from 0, so it must be below N)");
        }
    }

    /**
     * Reads {@code I/N}.
     *
     * @throws IllegalArgumentException naming the rule, for anything else
     */
    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(rule(text));
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static String rule(String was) {
        return "--shard must be I/N, this worker's part I of N parts with 0 <= I < N (e.g. 0/4 .. 3/4); was '"
                + was + "'";
    }

    public boolean isAll() {
        return count == 1;
    }

    /** Whether the file at {@code relativePath} ('/' between names) belongs to this part. */
    public boolean holds(String relativePath) {
        return count == 1 || partOf(relativePath, count) == index;
    }

    /** The part of {@code count} that {@code relativePath} falls in. */
    public static int partOf(String relativePath, int count) {
        return (int) ((slot(relativePath) * count) >>> 32);
    }

    /**
     * The first slot of this part: a path is in it when its {@link #slot} is at least this and below
     * {@link #endSlot()}. A store that keeps each path's slot can so select a part by a range.
     */
    public long firstSlot() {
        return ceilDiv((long) index << 32, count);
    }

    /** The slot after this part's last. */
    public long endSlot() {
        return ceilDiv((long) (index + 1) << 32, count);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The first 32 bits of the path's SHA-256, as an unsigned number: where the path falls, 0 to 2^32 - 1. */
    public static long slot(String relativePath) {
        byte[] digest = sha256().digest(relativePath.getBytes(StandardCharsets.UTF_8));
        return ((digest[0] & 0xffL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8)
                | (digest[3] & 0xffL);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
