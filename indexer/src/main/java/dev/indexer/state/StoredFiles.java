package dev.indexer.state;

import dev.indexer.IndexerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a store holds, file by file, rebuilt from a scan of its chunks: how an index home that does
 * not know a collection's files (a fresh CI runner, a lost manifest) learns them from the store,
 * which is the truth. A scan visits chunks in the store's order, not file by file, so they go
 * through a temporary table of the manifest's database and come back grouped: memory holds one
 * page of files, never the store's chunks. Closing drops the table.
 */
public final class StoredFiles implements AutoCloseable {
    private static final int INSERT_BATCH = 1000;

    private final Connection connection;
    private final Manifest manifest;
    private final PreparedStatement insert;
    private int batched;
    private long chunks;

    StoredFiles(Manifest manifest, Connection connection) {
        this.manifest = manifest;
        this.connection = connection;
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("DROP TABLE IF EXISTS temp.stored");
            s.executeUpdate("CREATE TEMP TABLE stored (path TEXT NOT NULL, ordinal INTEGER NOT NULL,"
                    + " hash TEXT NOT NULL, file_hash TEXT NOT NULL, embedded INTEGER NOT NULL)");
            connection.commit();
            insert = connection.prepareStatement("INSERT INTO temp.stored VALUES (?, ?, ?, ?, ?)");
        } catch (SQLException e) {
            throw failed("stage", e);
        }
    }

    /**
     * One chunk the store holds.
     *
     * @param fileHash the content hash of its file as the store recorded it; "" if it has none
     *     (written by an earlier version, or before the run that wrote it committed)
     * @param embedded whether it has its vector
     */
    public void add(String path, int ordinal, String hash, String fileHash, boolean embedded) {
        try {
            insert.setString(1, path);
            insert.setInt(2, ordinal);
            insert.setString(3, hash);
            insert.setString(4, fileHash);
            insert.setInt(5, embedded ? 1 : 0);
            insert.addBatch();
            chunks++;
            if (++batched == INSERT_BATCH) {
                flush();
            }
        } catch (SQLException e) {
            throw failed("stage", e);
        }
    }

    /** Chunks added so far. */
    public long chunks() {
        return chunks;
    }

    /**
     * A file as the store holds it.
     *
     * @param complete whether its chunks are exactly ordinals 0..n-1, once each: only then is it
     *     whole (a run that stopped between writing a file's chunks and recording it can leave
     *     part of one, or chunks of two versions)
     * @param fileHash its content hash if every chunk carries the same one, else ""
     * @param chunkHashes its chunks' hashes, by ordinal
     * @param pending its chunks without a vector
     * @param listedAlike whether the manifest lists it as indexed with these very chunk hashes
     */
    public record StoredFile(String path, boolean complete, String fileHash, List<String> chunkHashes, int pending,
            boolean listedAlike) {}

    /** Up to {@code limit} files, in path order, after {@code after} ("" for the first page). */
    public List<StoredFile> page(String after, int limit) {
        try {
            flush();
            List<StoredFile> files = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT s.path, COUNT(*), COUNT(DISTINCT s.ordinal), MIN(s.ordinal), MAX(s.ordinal),
                      MIN(s.file_hash), MAX(s.file_hash), group_concat(s.hash, ' ' ORDER BY s.ordinal),
                      SUM(1 - s.embedded),
                      (SELECT f.chunk_hashes FROM main.files f WHERE f.path = s.path AND f.status = 'indexed')
                    FROM temp.stored s WHERE s.path > ? GROUP BY s.path ORDER BY s.path LIMIT ?""")) {
                select.setString(1, after);
                select.setInt(2, limit);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        int count = row.getInt(2);
                        boolean complete = row.getInt(3) == count && row.getInt(4) == 0 && row.getInt(5) == count - 1;
                        String low = row.getString(6);
                        String fileHash = low.equals(row.getString(7)) ? low : "";
                        String hashes = row.getString(8);
                        files.add(new StoredFile(row.getString(1), complete, fileHash, Arrays.asList(hashes.split(" ")),
                                row.getInt(9), hashes.equals(row.getString(10))));
                    }
                }
            }
            return files;
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    private void flush() throws SQLException {
        if (batched > 0) {
            insert.executeBatch();
            connection.commit();
            batched = 0;
        }
    }

    @Override
    public void close() {
        try (Statement s = connection.createStatement()) {
            insert.close();
            s.executeUpdate("DROP TABLE IF EXISTS temp.stored");
            connection.commit();
        } catch (SQLException e) {
            throw failed("drop", e);
        }
    }

    private IndexerException failed(String what, SQLException e) {
        return manifest.failure(what + " the store's files in", e);
    }
}
