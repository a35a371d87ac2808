package dev.indexer.store.qdrant;

import dev.indexer.chunk.Chunk;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.SearchHit;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.VectorsOutput;
import java.util.Map;
import java.util.UUID;

/** Chunks as Qdrant points: the chunk's UUID is the point id; path, lines, language, text and hash the payload. */
final class PointCodec {
    static final String PATH = "path";
    static final String START = "start";
    static final String END = "end";
    static final String LANGUAGE = "lang";
    static final String TEXT = "text";
    static final String HASH = "hash";

    private PointCodec() {}

    static PointId id(String chunkId) {
        return PointId.newBuilder().setUuid(chunkId).build();
    }

    /** Qdrant may answer with a differently formatted UUID; this gives the chunk id form. */
    static String chunkId(PointId id) {
        return id.hasUuid() ? UUID.fromString(id.getUuid()).toString() : Long.toString(id.getNum());
    }

    static PointStruct point(EmbeddedChunk embedded) {
        Chunk c = embedded.chunk();
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float f : embedded.vector()) {
            dense.addData(f);
        }
        return PointStruct.newBuilder()
                .setId(id(c.id()))
                .setVectors(Vectors.newBuilder().setVector(Vector.newBuilder().setDense(dense)))
                .putPayload(PATH, string(c.path()))
                .putPayload(START, integer(c.startLine()))
                .putPayload(END, integer(c.endLine()))
                .putPayload(LANGUAGE, string(c.language()))
                .putPayload(TEXT, string(c.text()))
                .putPayload(HASH, string(c.hash()))
                .build();
    }

    static SearchHit hit(Map<String, Value> payload, float score) {
        return new SearchHit(
                text(payload, PATH),
                (int) payload.getOrDefault(START, Value.getDefaultInstance()).getIntegerValue(),
                (int) payload.getOrDefault(END, Value.getDefaultInstance()).getIntegerValue(),
                text(payload, LANGUAGE),
                text(payload, TEXT),
                score);
    }

    static String text(Map<String, Value> payload, String key) {
        return payload.getOrDefault(key, Value.getDefaultInstance()).getStringValue();
    }

    /** The dense vector of a point, in either of the forms servers answer with; null if it has none. */
    static float[] vector(VectorsOutput output) {
        if (!output.hasVector()) {
            return null;
        }
        VectorOutput v = output.getVector();
        java.util.List<Float> data = v.hasDense() ? v.getDense().getDataList() : legacyData(v);
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i);
        }
        return out.length == 0 ? null : out;
    }

    @SuppressWarnings("deprecation") // servers before 1.14 answer only in the old field
    private static java.util.List<Float> legacyData(VectorOutput v) {
        return v.getDataList();
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value integer(long n) {
        return Value.newBuilder().setIntegerValue(n).build();
    }
}
