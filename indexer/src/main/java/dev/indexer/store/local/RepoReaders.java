package dev.indexer.store.local;

import dev.indexer.chunk.Chunk;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.StoreReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several repositories of a collection in the embedded store searched as one: each repository's
 * index answers, and the answers merge by score. Vector scores are cosines, the same scale in every
 * index; BM25 scores are each index's own (its word statistics), close enough to merge on for
 * indexes of code, and the hybrid fusion that follows ranks by position anyway.
 *
 * <p>A hit's id is its chunk id with the repository's position in front ({@code 2/..}): the same
 * path, and so the same chunk id, may be a file of several repositories.
 */
final class RepoReaders implements StoreReader {
    private final List<LuceneReader> readers;

    RepoReaders(List<LuceneReader> readers) {
        this.readers = List.copyOf(readers);
    }

    /** The first repository's: every repository of a collection is built with the same model. */
    @Override
    public CollectionInfo info() {
        CollectionInfo first = readers.get(0).info();
        return new CollectionInfo(first.name(), first.model(), first.dimension(), "");
    }

    @Override
    public long count() {
        return readers.stream().mapToLong(LuceneReader::count).sum();
    }

    @Override
    public int maxQueryTerms() {
        return readers.get(0).maxQueryTerms();
    }

    @Override
    public List<SearchHit> searchOne(SearchRequest request) {
        List<SearchHit> all = new ArrayList<>();
        for (int i = 0; i < readers.size(); i++) {
            String prefix = i + "/";
            for (SearchHit hit : readers.get(i).searchOne(request)) {
                all.add(new SearchHit(prefix + hit.id(), hit.path(), hit.startLine(), hit.endLine(), hit.language(),
                        hit.text(), hit.score(), hit.symbol(), hit.kind(), hit.container(), hit.repo()));
            }
        }
        all.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        return List.copyOf(all.subList(0, Math.min(request.k(), all.size())));
    }

    @Override
    public Map<String, Chunk> withoutVectors(Collection<String> ids) {
        return byRepo(ids, LuceneReader::withoutVectors);
    }

    @Override
    public Map<String, float[]> vectorsOf(Collection<String> ids) {
        return byRepo(ids, LuceneReader::vectorsOf);
    }

    /** What {@code read} gives for the ids, each asked of its repository's reader, by the ids given out. */
    private <T> Map<String, T> byRepo(Collection<String> ids,
            java.util.function.BiFunction<LuceneReader, List<String>, Map<String, T>> read) {
        Map<Integer, List<String>> byRepo = new HashMap<>();
        for (String id : ids) {
            int slash = id.indexOf('/');
            if (slash > 0) {
                try {
                    byRepo.computeIfAbsent(Integer.parseInt(id.substring(0, slash)), i -> new ArrayList<>())
                            .add(id.substring(slash + 1));
                } catch (NumberFormatException e) {
                    // not an id this reader gave out
                }
            }
        }
        Map<String, T> found = new HashMap<>();
        byRepo.forEach((i, chunkIds) -> {
            if (i < readers.size()) {
                read.apply(readers.get(i), chunkIds).forEach((id, value) -> found.put(i + "/" + id, value));
            }
        });
        return found;
    }

    @Override
    public void close() {
        readers.forEach(LuceneReader::close);
    }
}
