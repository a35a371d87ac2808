package dev.indexer.embed.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.indexer.TestModels;
import dev.indexer.config.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime 1.29 keeps a queue of usage events and a device id under the user's cache directory
 * and uploads them to Microsoft. Two child JVMs, each with a home of its own and the variables by
 * which ONNX Runtime recognises a CI machine (and stays quiet there) removed: one starts ONNX Runtime
 * as any program using its Java API does, the other loads the model as the indexer does.
 */
class OrtTelemetryTest {
    /** What ONNX Runtime takes as "a CI machine" or "our own tests", and the opt-out itself. */
    private static final List<String> QUIETING = List.of("CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI",
            "JENKINS_URL", "BUILD_BUILDID", "TEAMCITY_VERSION", "CIRCLECI", "TRAVIS", "BUILDKITE",
            "CODEBUILD_BUILD_ID", "APPVEYOR", "ORT_RUNNING_UNIT_TESTS", OrtTelemetry.VARIABLE, "ORT_TELEMETRY_DISABLED",
            "XDG_CACHE_HOME");

    @TempDir
    Path tmp;

    /** ONNX Runtime started the plain way, on a thread with room for its start-up's deep native stack. */
    public static final class Plain {
        public static void main(String[] args) throws Exception {
            Path onnx = ModelFiles.extract(ModelSpec.BGE_SMALL, Path.of(args[0]).resolve("models")).onnx();
            Throwable[] failed = new Throwable[1];
            Thread start = new Thread(null, () -> {
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                        OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx.toString(), options)) {
                    System.out.println("inputs " + session.getInputNames());
                } catch (Exception | Error e) {
                    failed[0] = e;
                }
            }, "start", 64L << 20);
            start.start();
            start.join();
            if (failed[0] != null) {
                throw new IllegalStateException(failed[0]);
            }
        }
    }

    /** The model loaded and used as the indexer does. */
    public static final class Indexer {
        public static void main(String[] args) {
            try (OnnxEmbedder embedder = OnnxEmbedder.open(ModelSpec.BGE_SMALL, 256, 2, Path.of(args[0]))) {
                System.out.println("dimension " + embedder.embedQuery("parse a date").length);
            }
        }
    }

    @Test
    void theIndexerLeavesNoQueueNoDeviceIdAndSoNothingToUpload() throws Exception {
        Path plainHome = tmp.resolve("plain");
        String plain = run(Plain.class, plainHome);
        assertTrue(plain.contains("inputs ["), plain);
        // Where ONNX Runtime is built without telemetry (or stays quiet for another reason), there is
        // nothing to keep from happening, and this test cannot tell anything.
        Assumptions.assumeTrue(Files.exists(reportsDir(plainHome)),
                "ONNX Runtime started plainly wrote nothing under " + plainHome + ":\n" + listing(plainHome));
        assertTrue(Files.exists(reportsDir(plainHome).resolve("deviceid")), listing(plainHome));

        Path indexerHome = tmp.resolve("indexer");
        String indexer = run(Indexer.class, indexerHome);
        assertTrue(indexer.contains("dimension 384"), indexer);
        assertFalse(Files.exists(indexerHome.resolve(".cache").resolve("Microsoft")), listing(indexerHome));
    }

    private static Path reportsDir(Path home) {
        return home.resolve(".cache/Microsoft/DeveloperTools/.onnxruntime");
    }

    /** Runs {@code main} in a child JVM with {@code home} as its home; its output. */
    private static String run(Class<?> main, Path home) throws IOException, InterruptedException {
        Files.createDirectories(home);
        // The plain child lets ONNX Runtime unpack into the temporary directory, which keeps the
        // directory after every exit: a temporary directory of the test's own takes it away with it.
        Path temporary = Files.createDirectories(home.resolve("tmp"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-Djava.io.tmpdir=" + temporary, "-cp", System.getProperty("java.class.path"), main.getName(),
                TestModels.home().toString());
        Map<String, String> env = builder.environment();
        QUIETING.forEach(env::remove);
        env.put("HOME", home.toString());
        // Should ONNX Runtime try to upload from the plain child on a machine with a network, it
        // finds a proxy that is not there.
        for (String proxy : List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")) {
            env.put(proxy, "http://127.0.0.1:9");
        }
        env.remove("no_proxy");
        env.remove("NO_PROXY");
        Process child = builder.redirectErrorStream(true).start();
        byte[] output = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child JVM ended");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), text);
        return text;
    }

    private static String listing(Path home) {
        try (Stream<Path> files = Files.walk(home)) {
            return String.join("\n", files.map(home::relativize).map(Path::toString).toList());
        } catch (IOException e) {
            return e.toString();
        }
    }
}
