package dev.indexer.store.local;

import dev.indexer.IndexerException;
import dev.indexer.config.IndexHome;
import dev.indexer.state.CollectionFiles;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.RepoScope;
import dev.indexer.store.RepoSummary;
import dev.indexer.store.RunRecord;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The embedded store: a Lucene index in the directory of each repository of a collection in the
 * index home. An index per repository lets two repositories be written at once (Lucene takes one
 * writer per index) and one be dropped by deleting its directory; a search of several opens each
 * and merges their answers ({@link RepoReaders}).
 *
 * @param bufferMB the indexing buffer of a store opened for writing (from the memory budget)
 */
public record EmbeddedTarget(IndexHome home, int bufferMB) implements StoreTarget {
    /** Lucene's smallest sensible indexing buffer: for commands that only read, it is never used. */
    private static final int MIN_BUFFER_MB = 4;

    /** For commands that only read: search, status, drop. */
    public static EmbeddedTarget forReading(IndexHome home) {
        return new EmbeddedTarget(home, MIN_BUFFER_MB);
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public String describe(String collection) {
        return "embedded store at " + home.collectionDir(collection);
    }

    @Override
    public String storeName() {
        return "embedded (Lucene)";
    }

    @Override
    public String location(String collection) {
        return home.collectionDir(collection).toString();
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public void check(String collection) {
        // nothing to reach: the index home is checked when the collection's directory is made
    }

    @Override
    public boolean exists(String collection) {
        return home.repos(collection).keySet().stream().anyMatch(r -> Files.isDirectory(home.luceneDir(collection, r)));
    }

    @Override
    public StoreReader openReader(String collection, RepoScope scope) {
        Map<String, Path> known = new TreeMap<>(home.repos(collection));
        known.keySet().removeIf(r -> !Files.isDirectory(home.luceneDir(collection, r)));
        if (known.isEmpty()) {
            throw LuceneIndex.noCollection(home.collectionDir(collection), collection);
        }
        List<String> unknown = scope.names().stream().filter(r -> !known.containsKey(r)).toList();
        if (!unknown.isEmpty()) {
            throw new IndexerException(RepoScope.noSuch(collection, unknown, known.keySet()) + ".");
        }
        List<String> chosen = scope.all() ? List.copyOf(known.keySet()) : scope.names();
        List<LuceneReader> readers = new ArrayList<>();
        try {
            for (String repo : chosen) {
                readers.add(LuceneReader.open(home.luceneDir(collection, repo), collection, repo, Optional.empty()));
            }
        } catch (RuntimeException e) {
            readers.forEach(LuceneReader::close);
            throw e;
        }
        return readers.size() == 1 ? readers.get(0) : new RepoReaders(readers);
    }

    @Override
    public StoreWriter openWriter(CollectionInfo info, String repo, Contents contents) {
        Path dir = home.luceneDir(info.name(), repo);
        if (contents == Contents.DELETE) {
            try {
                CollectionFiles.deleteContents(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return LuceneWriter.open(dir, info, repo, bufferMB, LuceneIndex.Merging.AS_THE_POLICY_SAYS);
    }

    /** From each repository's manifest here: the embedded store is only ever on this machine. */
    @Override
    public List<RepoSummary> repos(String collection) {
        List<RepoSummary> repos = new ArrayList<>();
        home.repos(collection).forEach((repo, dir) -> {
            Path file = dir.resolve(Manifest.FILE_NAME);
            if (Manifest.exists(file)) {
                try (Manifest manifest = Manifest.openForReading(file)) {
                    Manifest.Totals totals = manifest.totals();
                    Map<String, String> meta = manifest.meta();
                    List<RunRecord> runs = RunRecord.parse(meta.getOrDefault(RunRecord.META_KEY, "")).stream().toList();
                    repos.add(new RepoSummary(repo, meta.getOrDefault("root", ""), totals.indexedFiles(),
                            totals.chunks(), totals.embeddedChunks(), totals.wordsOnlyChunks(), runs));
                }
            }
        });
        return repos;
    }

    @Override
    public boolean drop(String collection) {
        boolean any = false;
        for (String repo : home.repos(collection).keySet()) {
            any |= dropRepo(collection, repo);
        }
        return any;
    }

    @Override
    public boolean dropRepo(String collection, String repo) {
        Path dir = home.luceneDir(collection, repo);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try {
            CollectionFiles.deleteTree(dir);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
