package dev.indexer.store.qdrant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.Nearest;
import dev.indexer.store.StoreContract;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QdrantStoreTest extends StoreContract {
    private static final QdrantAddress ADDRESS = new QdrantAddress("fake", 6334, false);

    private FakeQdrant server;
    private QdrantSettings settings = settings(QdrantSettings.UploadSettings.DEFAULTS);

    private static QdrantSettings settings(QdrantSettings.UploadSettings upload) {
        // Short waits between tries: the tests exercise retries, not patience.
        return QdrantSettings.defaults(ADDRESS)
                .withUpload(upload.withBackoff(Duration.ofMillis(5), Duration.ofMillis(40)));
    }

    @BeforeEach
    void startServer() throws IOException {
        server = FakeQdrant.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.close();
    }

    @Override
    protected StoreWriter openForWriting(CollectionInfo info) {
        return QdrantWriter.open(server.client(), settings, info, StoreTarget.Contents.KEEP);
    }

    @Override
    protected StoreReader openForReading(String name) {
        return QdrantReader.open(server.client(), settings, name);
    }

    @Test
    void aNewCollectionIsCreatedForMemoryEfficiencyWithPayloadIndexes() {
        try (QdrantWriter store = QdrantWriter.open(server.client(), settings, info, StoreTarget.Contents.KEEP)) {
            assertTrue(store.previous().isEmpty(), "opening created it");
        }
        CreateCollection create = server.requests("Create", CreateCollection.class).get(0);
        VectorParams vectors = create.getVectorsConfig().getParamsMap().getMapOrThrow("dense");
        var sparse = create.getSparseVectorsConfig().getMapOrThrow("text");
        assertEquals(io.qdrant.client.grpc.Collections.Modifier.Idf, sparse.getModifier(), "BM25's IDF from the server");
        assertTrue(sparse.getIndex().getOnDisk());
        assertEquals(DIM, vectors.getSize());
        assertEquals(Distance.Cosine, vectors.getDistance());
        assertTrue(vectors.getOnDisk(), "original vectors on disk");
        assertTrue(create.getHnswConfig().getOnDisk(), "HNSW graph on disk");
        assertEquals(16, create.getHnswConfig().getM());
        assertEquals(100, create.getHnswConfig().getEfConstruct());
        assertEquals(QuantizationType.Int8, create.getQuantizationConfig().getScalar().getType());
        assertTrue(create.getQuantizationConfig().getScalar().getAlwaysRam(), "quantized vectors in RAM");
        assertTrue(create.getOnDiskPayload());
        assertEquals(1, create.getShardNumber());
        assertEquals(1, create.getReplicationFactor());
        assertEquals("bge-small", create.getMetadataOrThrow(dev.indexer.store.CollectionInfo.MODEL_KEY).getStringValue());
        assertEquals("/src", create.getMetadataOrThrow(dev.indexer.store.CollectionInfo.ROOT_KEY).getStringValue());
        List<CreateFieldIndexCollection> indexes = server.requests("CreateFieldIndex", CreateFieldIndexCollection.class);
        assertEquals(Set.of("path", "lang", "path_slot", "repo", "hash"),
                indexes.stream().map(CreateFieldIndexCollection::getFieldName).collect(Collectors.toSet()));
        assertTrue(indexes.stream().allMatch(i -> i.getWait() && i.getFieldType() == (i.getFieldName().equals("path_slot")
                ? FieldType.FieldTypeInteger : FieldType.FieldTypeKeyword)), "keywords, and the slot as a number for ranges");
        CreateFieldIndexCollection tenant = indexes.stream().filter(i -> i.getFieldName().equals("repo")).findFirst()
                .orElseThrow();
        assertTrue(tenant.getFieldIndexParams().getKeywordIndexParams().getIsTenant(),
                "the repository is the tenant: Qdrant keeps each one's points together");
        assertEquals(List.of("path", "lang", "hash"), indexes.stream().map(CreateFieldIndexCollection::getFieldName)
                .filter(f -> !f.equals("repo") && !f.equals("path_slot")).toList());
        assertEquals("repo", create.getMetadataOrThrow("indexer.tenants").getStringValue(),
                "marked as a collection whose points say their repository");

        // Opening again creates nothing and adds no index.
        try (QdrantWriter store = QdrantWriter.open(server.client(), settings, info, StoreTarget.Contents.KEEP)) {
            assertTrue(store.previous().isPresent());
            assertEquals("/src", store.previous().orElseThrow().root());
        }
        assertEquals(1, server.requests("Create", CreateCollection.class).size());
        assertEquals(5, server.requests("CreateFieldIndex", CreateFieldIndexCollection.class).size());
    }

    @Test
    void everyCollectionSettingCanBeOverridden() {
        QdrantSettings custom = settings.withCollection(new QdrantSettings.CollectionSettings(
                3, 2, false, false, 32, 200, Quantization.BINARY, false, false, false));
        QdrantWriter.open(server.client(), custom, info, StoreTarget.Contents.KEEP).close();
        CreateCollection create = server.requests("Create", CreateCollection.class).get(0);
        assertEquals(3, create.getShardNumber());
        assertEquals(2, create.getReplicationFactor());
        assertFalse(create.getVectorsConfig().getParamsMap().getMapOrThrow("dense").getOnDisk());
        assertFalse(create.getHnswConfig().getOnDisk());
        assertEquals(32, create.getHnswConfig().getM());
        assertEquals(200, create.getHnswConfig().getEfConstruct());
        assertTrue(create.getQuantizationConfig().hasBinary());
        assertFalse(create.getQuantizationConfig().getBinary().getAlwaysRam());
        assertFalse(create.getOnDiskPayload());
        try (QdrantReader store = QdrantReader.open(server.client(), custom, info.name())) {
            var described = store.describe();
            assertEquals("binary", described.get("quantization"));
            assertEquals(3, described.get("shards"));
            assertEquals("hash,lang,path,path_slot,repo", described.get("payloadIndexes"));
        }
        QdrantSettings product = settings.withCollection(new QdrantSettings.CollectionSettings(
                1, 1, true, true, 16, 100, Quantization.PRODUCT, true, true, false));
        QdrantWriter.open(server.client(), product, new CollectionInfo("pq", "bge-small", DIM, "/"), StoreTarget.Contents.KEEP).close();
        assertTrue(server.requests("Create", CreateCollection.class).get(1).getQuantizationConfig().hasProduct());
    }

    @Test
    void anotherModelOrDistanceIsRefusedAndNothingIsWritten() {
        QdrantWriter.open(server.client(), settings, info, StoreTarget.Contents.KEEP).close();
        IndexerException model = assertThrows(IndexerException.class, () -> QdrantWriter.open(
                server.client(), settings, new CollectionInfo(info.name(), "minilm", DIM, "/src"), StoreTarget.Contents.KEEP));
        assertTrue(model.getMessage().contains("built with model bge-small")
                && model.getMessage().contains("--model bge-small"), model.getMessage());
        int calls = server.requests("Upsert", UpsertPoints.class).size() + server.requests("Delete", DeletePoints.class).size();
        assertEquals(0, calls, "nothing was written");
    }

    @Test
    void batchesStayUnderTheByteCapAndInFlightUnderItsCap() {
        settings = settings(new QdrantSettings.UploadSettings(16 * 1024, 3, 3, Duration.ZERO, Duration.ZERO));
        server.slowUpserts(30);
        try (StoreWriter store = openForWriting(info)) {
            List<EmbeddedChunk> chunks = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                chunks.add(chunk("src/file" + (i / 5) + ".java", i % 5, i));
            }
            store.upsert(chunks);
            store.commit();
            assertEquals(600, store.count());
        }
        List<UpsertPoints> upserts = server.requests("Upsert", UpsertPoints.class);
        assertTrue(upserts.size() >= 5, "600 points of ~200 bytes need several 16 KB batches: " + upserts.size());
        for (UpsertPoints upsert : upserts) {
            assertTrue(upsert.getSerializedSize() <= 16 * 1024 + 64, "batch of " + upsert.getSerializedSize() + " bytes");
            assertTrue(upsert.getWait(), "each upsert waits until applied");
        }
        assertEquals(600, upserts.stream().mapToInt(UpsertPoints::getPointsCount).sum(), "each point sent once");
        assertTrue(server.maxUpsertsInFlight() <= 3, "in flight: " + server.maxUpsertsInFlight());
        assertTrue(server.maxUpsertsInFlight() >= 2, "uploads overlap: " + server.maxUpsertsInFlight());
    }

    @Test
    void transientFailuresAreRetriedUntilTheyPass() {
        try (StoreWriter store = openForWriting(info)) {
            server.failNext("Upsert", Status.UNAVAILABLE, 2);
            server.failNext("Delete", Status.DEADLINE_EXCEEDED, 1);
            server.failNext("Get", Status.RESOURCE_EXHAUSTED, 1);
            store.deleteFile("a.java");
            store.upsert(List.of(chunk("a.java", 0, 1), chunk("a.java", 1, 2)));
            store.commit();
            assertEquals(2, store.count());
            EmbeddedChunk a0 = chunk("a.java", 0, 1);
            assertEquals(Set.of(a0.chunk().id()), store.vectors(java.util.Map.of(a0.chunk().id(), a0.chunk().hash())).keySet());
        }
        assertEquals(3, server.requests("Upsert", UpsertPoints.class).size(), "two failures, then success");
        assertEquals(2, server.requests("Delete", DeletePoints.class).size());
    }

    @Test
    void aPermanentOutageEndsInOneClearSentenceAfterTheLastTry() {
        settings = settings(QdrantSettings.UploadSettings.DEFAULTS.withAttempts(4));
        StoreWriter store = openForWriting(info);
        server.failNext("Upsert", Status.UNAVAILABLE.withDescription("connection refused"), 100);
        store.upsert(List.of(chunk("a.java", 0, 1)));
        IndexerException e = assertThrows(IndexerException.class, store::commit);
        store.close();
        assertTrue(e.getMessage().startsWith("Could not reach Qdrant at http://fake:6334 to store 1 points after 4 tries"),
                e.getMessage());
        assertTrue(e.getMessage().contains("run again"), e.getMessage());
        assertEquals(4, server.requests("Upsert", UpsertPoints.class).size());
    }

    @Test
    void aRejectedRequestIsNotRetried() {
        StoreWriter store = openForWriting(info);
        server.failNext("Upsert", Status.INVALID_ARGUMENT.withDescription("bad request"), 1);
        store.upsert(List.of(chunk("a.java", 0, 1)));
        IndexerException e = assertThrows(IndexerException.class, store::commit);
        store.close();
        assertTrue(e.getMessage().contains("INVALID_ARGUMENT: bad request"), e.getMessage());
        assertEquals(1, server.requests("Upsert", UpsertPoints.class).size());
    }

    @Test
    void aRepositoryFindsTheVectorsOfTextsAnotherHoldsEvenBehindTextsThatManyFilesShare() {
        CollectionInfo shared = new CollectionInfo("shared", "bge-small", DIM, "/");
        List<String> licences = new ArrayList<>();
        List<String> own = new ArrayList<>();
        try (QdrantWriter origin = QdrantWriter.open(server.client(), settings, shared, "origin",
                StoreTarget.Contents.KEEP)) {
            List<EmbeddedChunk> chunks = new ArrayList<>();
            // Three licence texts in 200 files each: 600 points of 3 hashes, ahead of the rest by id.
            for (int f = 0; f < 200; f++) {
                for (int l = 0; l < 3; l++) {
                    Chunk licence = new Chunk("lib/F" + f + ".java", l, 1, 2, "java", "Licensed under licence " + l, 4);
                    chunks.add(new EmbeddedChunk(licence, unit(l)));
                    if (f == 0) {
                        licences.add(licence.hash());
                    }
                }
            }
            for (int u = 0; u < 10; u++) {
                Chunk text = new Chunk("src/Own" + u + ".java", 0, 1, 2, "java", "int own" + u + "() { return " + u + "; }", 6);
                chunks.add(new EmbeddedChunk(text, unit(10 + u)));
                own.add(text.hash());
            }
            chunks.add(new EmbeddedChunk(new Chunk("src/Waiting.java", 0, 1, 2, "java", "no vector yet", 3), null));
            origin.upsert(chunks);
            origin.commit();
        }
        try (QdrantWriter fork = QdrantWriter.open(server.client(), settings, shared, "fork", StoreTarget.Contents.KEEP)) {
            int before = server.requests("Scroll", io.qdrant.client.grpc.Points.ScrollPoints.class).size();
            List<String> asked = new ArrayList<>(licences);
            asked.addAll(own);
            String waiting = new Chunk("x", 0, 1, 2, "java", "no vector yet", 3).hash();
            asked.add(waiting);
            asked.add(Chunk.hashOf("a text no repository has"));
            java.util.Map<String, float[]> found = fork.sharedVectors(asked);
            assertEquals(Set.copyOf(licences.stream().collect(Collectors.toList())).size() + own.size(), found.size(),
                    "every text the collection holds with a vector, none other: " + found.keySet());
            for (int u = 0; u < 10; u++) {
                assertTrue(java.util.Arrays.equals(unit(10 + u), found.get(own.get(u))), "own" + u);
            }
            assertFalse(found.containsKey(waiting), "a point without its vector lends none");
            int pages = server.requests("Scroll", io.qdrant.client.grpc.Points.ScrollPoints.class).size() - before;
            assertTrue(pages <= 3, pages + " scroll calls");
            before += pages;
            assertEquals(java.util.Map.of(), fork.sharedVectors(List.of(Chunk.hashOf("nobody's"))));
            assertEquals(1, server.requests("Scroll", io.qdrant.client.grpc.Points.ScrollPoints.class).size() - before,
                    "texts no repository has cost one call");
        }
    }

    @Test
    void aDeletedFileIsRemovedWithAPathFilterBeforeItsNewPointsAreSent() {
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(chunk("a.java", 0, 1), chunk("a.java", 1, 2), chunk("b.java", 0, 3)));
            store.commit();
            store.deleteFile("a.java");
            store.upsert(List.of(chunk("a.java", 0, 4)));
            store.commit();
        }
        List<FakeQdrant.Call> writes = server.calls().stream()
                .filter(c -> c.method().equals("Upsert") || c.method().equals("Delete")).toList();
        assertEquals(List.of("Upsert", "Delete", "Upsert"), writes.stream().map(FakeQdrant.Call::method).toList());
        DeletePoints delete = (DeletePoints) writes.get(1).request();
        assertTrue(delete.getWait());
        var condition = delete.getPoints().getFilter().getMust(0).getField();
        assertEquals("path", condition.getKey());
        assertEquals("a.java", condition.getMatch().getKeyword());
        var inRepo = delete.getPoints().getFilter().getMust(1).getField();
        assertEquals("repo", inRepo.getKey(), "only the writer's repository's points go");
        assertEquals(info.name(), inRepo.getMatch().getKeyword());
        assertEquals(java.util.Map.of(PointCodec.pointId(info.name(), Chunk.idFor("a.java", 0)), "a.java",
                PointCodec.pointId(info.name(), Chunk.idFor("b.java", 0)), "b.java"), server.paths(info.name()));
    }

    @Test
    void searchRescoresQuantizedCandidates() {
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(chunk("a.java", 0, 1)));
            store.commit();
            assertEquals("a.java", Nearest.to(store.reader(), unit(1), 3).get(0).path());
        }
        QueryPoints query = server.requests("Query", QueryPoints.class).get(0);
        assertTrue(query.getParams().getQuantization().getRescore());
        assertTrue(query.getParams().getQuantization().getOversampling() > 1);
        assertEquals(2 * 3 + 10, query.getLimit(), "3 asked for, with room for pieces of one definition to join");
    }

    @Test
    void aMissingCollectionSaysHowToCreateIt() {
        IndexerException e = assertThrows(IndexerException.class, () -> openForReading("nope"));
        assertEquals("There is no collection 'nope' in Qdrant at http://fake:6334; index one first with:"
                + " indexer index PATH --collection nope --qdrant-url http://fake:6334", e.getMessage());
        assertFalse(server.hasCollection("nope"));
    }

    @Test
    void reindexRecreatesTheCollection() {
        try (StoreWriter store = openForWriting(info)) {
            store.upsert(List.of(chunk("a.java", 0, 1)));
            store.commit();
        }
        try (QdrantWriter store = QdrantWriter.open(server.client(), settings, info, StoreTarget.Contents.DELETE)) {
            assertTrue(store.previous().isEmpty(), "opening created it");
            assertEquals(0, store.count());
        }
    }

    @Test
    void addressesParseWithTheGrpcPortByDefault() {
        assertEquals(new QdrantAddress("localhost", 6334, false), QdrantAddress.parse("http://localhost:6334"));
        assertEquals(new QdrantAddress("q.example.com", 6334, true), QdrantAddress.parse("https://q.example.com"));
        assertEquals(new QdrantAddress("10.0.0.5", 7000, false), QdrantAddress.parse("10.0.0.5:7000"));
        assertThrows(IllegalArgumentException.class, () -> QdrantAddress.parse("ftp://host"));
        assertThrows(IllegalArgumentException.class, () -> QdrantAddress.parse("http://host:6334/collections"));
    }

    @Test
    void backoffDoublesUpToItsCapWithJitter() {
        Retrier retrier = new Retrier(ADDRESS, QdrantSettings.UploadSettings.DEFAULTS);
        for (int i = 0; i < 50; i++) {
            long first = retrier.backoff(1).toMillis();
            long third = retrier.backoff(3).toMillis();
            long tenth = retrier.backoff(10).toMillis();
            assertTrue(first >= 250 && first <= 500, "first " + first);
            assertTrue(third >= 1000 && third <= 2000, "third " + third);
            assertTrue(tenth >= 5000 && tenth <= 10_000, "capped " + tenth);
        }
    }
}
