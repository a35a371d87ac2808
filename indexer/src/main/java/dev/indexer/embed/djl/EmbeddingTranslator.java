package dev.indexer.embed.djl;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.indexer.config.Pooling;
import java.util.Set;

/**
 * Feeds a batch of tokenized inputs (padded to the batch's longest) to a BERT-style ONNX model
 * and pools its last hidden state into one unit vector per input. Pooling is done here in plain
 * Java: DJL's ONNX Runtime arrays do not implement arithmetic without a second engine.
 */
final class EmbeddingTranslator implements NoBatchifyTranslator<Encoding[], float[][]> {
    private static final String MASK = "attention_mask";

    private final Pooling pooling;
    private final Set<String> inputNames;

    EmbeddingTranslator(Pooling pooling, Set<String> inputNames) {
        this.pooling = pooling;
        this.inputNames = inputNames;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Encoding[] batch) {
        int rows = batch.length;
        int columns = batch[0].getIds().length;
        long[] ids = new long[rows * columns];
        long[] mask = new long[rows * columns];
        long[] types = new long[rows * columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(batch[r].getIds(), 0, ids, r * columns, columns);
            System.arraycopy(batch[r].getAttentionMask(), 0, mask, r * columns, columns);
            System.arraycopy(batch[r].getTypeIds(), 0, types, r * columns, columns);
        }
        ctx.setAttachment(MASK, mask);
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(rows, columns);
        NDList inputs = new NDList();
        add(inputs, manager.create(ids, shape), "input_ids");
        add(inputs, manager.create(mask, shape), MASK);
        add(inputs, manager.create(types, shape), "token_type_ids");
        return inputs;
    }

    private void add(NDList inputs, NDArray array, String name) {
        if (inputNames.contains(name)) {
            array.setName(name);
            inputs.add(array);
        } else {
            array.close();
        }
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray hidden = outputs.contains("last_hidden_state") ? outputs.get("last_hidden_state") : outputs.head();
        Shape shape = hidden.getShape();
        int rows = (int) shape.get(0);
        int columns = (int) shape.get(1);
        int width = (int) shape.get(2);
        float[] values = hidden.toFloatArray();
        long[] mask = (long[]) ctx.getAttachment(MASK);
        float[][] vectors = new float[rows][];
        for (int r = 0; r < rows; r++) {
            vectors[r] = normalize(pool(values, mask, r, columns, width));
        }
        return vectors;
    }

    private float[] pool(float[] values, long[] mask, int row, int columns, int width) {
        float[] vector = new float[width];
        int rowStart = row * columns * width;
        if (pooling == Pooling.CLS) {
            System.arraycopy(values, rowStart, vector, 0, width);
            return vector;
        }
        int counted = 0;
        for (int t = 0; t < columns; t++) {
            if (mask[row * columns + t] == 0) {
                continue;
            }
            counted++;
            int offset = rowStart + t * width;
            for (int d = 0; d < width; d++) {
                vector[d] += values[offset + d];
            }
        }
        for (int d = 0; d < width && counted > 0; d++) {
            vector[d] /= counted;
        }
        return vector;
    }

    static float[] normalize(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        float scale = sum > 0 ? (float) (1 / Math.sqrt(sum)) : 0f;
        for (int d = 0; d < vector.length; d++) {
            vector[d] *= scale;
        }
        return vector;
    }
}
