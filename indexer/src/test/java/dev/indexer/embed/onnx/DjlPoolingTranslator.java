package dev.indexer.embed.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.Set;

/**
 * The DJL benchmark's translator (bench/DjlPredictorCompare): encodings in, laid out as the shipped
 * embedder lays them out ({@link ModelInputs}, which is why it lives in this package), CLS-pooled
 * (bge-small's pooling), normalised vectors out.
 */
public record DjlPoolingTranslator(Set<String> inputNames) implements Translator<Encoding[], float[][]> {
    @Override
    public ai.djl.translate.Batchifier getBatchifier() {
        return null; // the input is a batch already
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Encoding[] batch) {
        ModelInputs layout = ModelInputs.of(batch);
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(layout.rows(), layout.columns());
        NDList inputs = new NDList();
        add(inputs, manager.create(layout.ids(), shape), "input_ids");
        add(inputs, manager.create(layout.mask(), shape), "attention_mask");
        add(inputs, manager.create(layout.types(), shape), "token_type_ids");
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
        float[][] vectors = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(values, r * columns * width, vectors[r], 0, width);
            double sum = 0;
            for (float v : vectors[r]) {
                sum += (double) v * v;
            }
            float scale = sum > 0 ? (float) (1 / Math.sqrt(sum)) : 0f;
            for (int d = 0; d < width; d++) {
                vectors[r][d] *= scale;
            }
        }
        return vectors;
    }
}
