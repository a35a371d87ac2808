package dev.indexer.embed.onnx;

import dev.indexer.IndexerException;
import dev.indexer.config.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A model's ONNX file and tokenizer.json, copied once from the class path to a directory, because
 * ONNX Runtime maps its model from a file. Copies go to a temporary name first and are renamed
 * into place, so an interrupted copy is never mistaken for a model.
 */
record ModelFiles(Path onnx, Path tokenizer) {

    static ModelFiles extract(ModelSpec spec, Path modelsDir) {
        Path dir = modelsDir.resolve(spec.id());
        try {
            Files.createDirectories(dir);
            return new ModelFiles(copy(spec.onnxResource(), dir.resolve("model.onnx")),
                    copy(spec.tokenizerResource(), dir.resolve("tokenizer.json")));
        } catch (IOException e) {
            throw new IndexerException("Could not unpack the " + spec.id() + " model into " + dir + " ("
                    + e.getMessage() + "); check that the directory is writable and the disk has 100 MB free.", e);
        }
    }

    private static Path copy(String resource, Path target) throws IOException {
        URL url = ModelFiles.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("resource " + resource + " is not on the class path; the jar is incomplete");
        }
        URLConnection connection = url.openConnection();
        long expected = connection.getContentLengthLong();
        if (Files.isRegularFile(target) && Files.size(target) == expected) {
            connection.getInputStream().close();
            return target;
        }
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }
}
