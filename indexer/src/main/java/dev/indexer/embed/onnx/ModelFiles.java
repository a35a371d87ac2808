package dev.indexer.embed.onnx;

import dev.indexer.IndexerException;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.graph.FasterGraph;
import dev.indexer.unpack.ClassPathFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * A model's ONNX file and tokenizer.json, copied once from the class path to a directory
 * ({@link ClassPathFiles}), because ONNX Runtime maps its model from a file.
 */
record ModelFiles(Path onnx, Path tokenizer) {
    /** The rewritten model's name; a new set of rewrite rules gets a new name, so old files are not reused. */
    static final String REWRITTEN_NAME = "model.rewritten-2.onnx";
    private static final System.Logger LOG = System.getLogger(ModelFiles.class.getName());

    static ModelFiles extract(ModelSpec spec, Path modelsDir) {
        Path dir = modelsDir.resolve(spec.id());
        try {
            Files.createDirectories(dir);
            ClassPathFiles.removeAbandonedParts(dir);
            return new ModelFiles(ClassPathFiles.copy(spec.onnxResource(), dir.resolve("model.onnx")),
                    ClassPathFiles.copy(spec.tokenizerResource(), dir.resolve("tokenizer.json")));
        } catch (IOException e) {
            throw new IndexerException("Could not unpack the " + spec.id() + " model into " + dir + " ("
                    + e.getMessage() + "); check that the directory is writable and the disk has 100 MB free.", e);
        }
    }

    /**
     * The model as ONNX Runtime runs it fastest: {@link #onnx} rewritten by {@link FasterGraph}
     * with {@code rules} (which depend on the model's pooling, fixed for a model), made once next to
     * it (again when the model file is newer). Where no rule applies, or the rewrite fails, the model
     * file as shipped: it is always correct, the rewrite only faster.
     */
    Path rewritten(Set<FasterGraph.Rewrite> rules) {
        Path target = onnx.resolveSibling(REWRITTEN_NAME);
        try {
            removeOlderRewrites(target);
            if (Files.isRegularFile(target)
                    && !Files.getLastModifiedTime(target).toInstant().isBefore(
                            Files.getLastModifiedTime(onnx).toInstant())) {
                return target;
            }
            Path temp = Files.createTempFile(target.getParent(), REWRITTEN_NAME, ".part");
            try {
                FasterGraph.Result result = FasterGraph.rewrite(onnx, temp, rules);
                if (!result.changed()) {
                    return onnx;
                }
                matchPermissions(temp, onnx);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "running " + onnx + " as shipped: it could not be rewritten", e);
            return onnx;
        }
    }

    /** Files an earlier set of rules made (tens of MB each), which no version of the indexer reads again. */
    private static void removeOlderRewrites(Path current) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(current.getParent(), "model.rewritten-*.onnx")) {
            for (Path file : files) {
                if (!file.getFileName().equals(current.getFileName())) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The model's own mode for the file made from it, not the owner-only one of a temporary file. */
    private static void matchPermissions(Path file, Path like) throws IOException {
        try {
            Files.setPosixFilePermissions(file, Files.getPosixFilePermissions(like));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default for new files stays
        }
    }

}
