package dev.indexer.store.qdrant;

import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk.Fields;
import dev.indexer.store.RepoScope;
import dev.indexer.store.RepoSummary;
import dev.indexer.store.RunRecord;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.HasVectorCondition;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.Points.CountPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Qdrant server: every collection is a collection of the same name there. */
record QdrantTarget(QdrantSettings settings) implements StoreTarget {
    @Override
    public String kind() {
        return "qdrant";
    }

    @Override
    public String describe(String collection) {
        return "Qdrant collection '" + collection + "' at " + settings.address();
    }

    @Override
    public String storeName() {
        return "Qdrant";
    }

    @Override
    public String location(String collection) {
        return settings.address().toString();
    }

    @Override
    public boolean local() {
        return false;
    }

    @Override
    public void check(String collection) {
        exists(collection);
    }

    @Override
    public boolean exists(String collection) {
        return QdrantCollections.exists(QdrantCollections.connect(settings), settings, collection);
    }

    @Override
    public StoreReader openReader(String collection, RepoScope repos) {
        return QdrantReader.open(QdrantCollections.connect(settings), settings, collection, repos);
    }

    @Override
    public StoreWriter openWriter(CollectionInfo info, String repo, Contents contents) {
        return QdrantWriter.open(QdrantCollections.connect(settings), settings, info, repo, contents);
    }

    /**
     * From the collection's metadata (the repositories and their runs) and three exact counts per
     * repository, which the tenant index answers without a scan of the others.
     */
    @Override
    public List<RepoSummary> repos(String collection) {
        try (QdrantGrpcClient client = QdrantCollections.connect(settings)) {
            Retrier retrier = QdrantCollections.retrier(settings);
            Collections.CollectionInfo existing = QdrantCollections.getWithRepos(client, retrier, settings, collection);
            List<RunRecord> runs = CollectionSchema.runs(existing);
            List<RepoSummary> repos = new ArrayList<>();
            for (Map.Entry<String, String> repo : CollectionSchema.repos(existing).entrySet()) {
                Condition in = PointCodec.inRepo(repo.getKey());
                long chunks = count(client, retrier, collection, Filter.newBuilder().addMust(in).build());
                long embedded = count(client, retrier, collection, Filter.newBuilder().addMust(in)
                        .addMust(Condition.newBuilder().setHasVector(
                                HasVectorCondition.newBuilder().setHasVector(CollectionSchema.DENSE))).build());
                // Every file with chunks has a first one.
                long files = count(client, retrier, collection, Filter.newBuilder().addMust(in)
                        .addMust(Condition.newBuilder().setField(FieldCondition.newBuilder().setKey(Fields.ORDINAL)
                                .setRange(Range.newBuilder().setLte(0)))).build());
                List<RunRecord> own = runs.stream().filter(r -> r.repo().equals(repo.getKey())).toList();
                // The store does not mark data points: the runs' records count them.
                repos.add(new RepoSummary(repo.getKey(), repo.getValue(), files, chunks, embedded,
                        RunRecord.wordsOnlyOf(own), own));
            }
            return repos;
        }
    }

    private static long count(QdrantGrpcClient client, Retrier retrier, String collection, Filter filter) {
        return retrier.call("count points", () -> client.points().count(CountPoints.newBuilder()
                .setCollectionName(collection).setFilter(filter).setExact(true).build())).getResult().getCount();
    }

    @Override
    public boolean dropRepo(String collection, String repo) {
        try (QdrantGrpcClient client = QdrantCollections.connect(settings)) {
            Retrier retrier = QdrantCollections.retrier(settings);
            if (!QdrantCollections.exists(client, retrier, collection)) {
                return false;
            }
            Collections.CollectionInfo existing = QdrantCollections.get(client, retrier, collection);
            if (!CollectionSchema.holdsRepos(existing)) {
                throw CollectionSchema.withoutRepos(settings.address(), collection);
            }
            return QdrantWriter.deleteRepo(client, retrier, existing, collection, repo);
        }
    }

    @Override
    public boolean drop(String collection) {
        return QdrantCollections.drop(QdrantCollections.connect(settings), settings, collection);
    }
}
