package dev.indexer.embed.onnx;

import ai.djl.huggingface.tokenizers.Encoding;

/**
 * A batch of encodings laid out as a BERT-style model takes them: token ids, attention mask and
 * token type ids, each {@code rows x columns} in row-major order (every encoding of a batch is
 * padded to the same length). The DJL benchmark lays out its calls with it too.
 */
record ModelInputs(int rows, int columns, long[] ids, long[] mask, long[] types) {

    /** The inputs of {@code batch}, which must not be empty. */
    static ModelInputs of(Encoding[] batch) {
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
        return new ModelInputs(rows, columns, ids, mask, types);
    }
}
