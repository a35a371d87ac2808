package dev.indexer.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.embed.onnx.graph.FasterGraph;
import dev.indexer.embed.onnx.OnnxEmbedder.Tuning;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Benchmark only: the model's graph as shipped against the graphs {@code FasterGraph} rewrites
 * (all of the output kept, and as the indexer loads it: for a model pooled by its first token,
 * that position alone through the last layer), on
 * calls of one shape (BATCH inputs of LENGTH tokens, about what the pipeline's 1,024-token calls
 * hold). First each graph's wall time, sessions alternated over ROUNDS rounds (medians); then one
 * profiled pass of each (ONNX Runtime's own profiler), summed by operator type, in ms per call.
 *
 * <p>Usage: {@code GraphProfile HOME MODEL BATCH LENGTH CALLS ROUNDS}; HOME is an index home, where
 * both files are made as the indexer makes them.
 */
public final class GraphProfile {
    private GraphProfile() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        ModelSpec spec = ModelSpec.byId(args[1]);
        int batch = Integer.parseInt(args[2]);
        int length = Integer.parseInt(args[3]);
        int calls = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        // Opening the embedder unpacks the model and makes the rewritten file, as an index run does.
        try (OnnxEmbedder unused = OnnxEmbedder.open(spec, 256, Tuning.of(2), home)) {
            System.out.println("model unpacked and rewritten under " + home);
        }
        Path dir = home.resolve("models").resolve(spec.id());
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("as shipped", dir.resolve("model.onnx"));
        Path everyToken = Files.createTempDirectory("graph-profile").resolve("every-token.onnx");
        FasterGraph.rewrite(dir.resolve("model.onnx"), everyToken, FasterGraph.allTokens());
        files.put("rewritten, every token's output", everyToken);
        try (Stream<Path> made = Files.list(dir)) {
            files.put("rewritten, as the indexer loads it", made
                    .filter(f -> f.getFileName().toString().matches("model\\.rewritten-\\d+\\.onnx")).findFirst()
                    .orElseThrow());
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                double s = run(environment, file.getValue(), batch, length, calls, null);
                seconds.computeIfAbsent(file.getKey(), k -> new ArrayList<>()).add(s);
                System.out.printf("round %d %-36s %6.2f s %8.0f tokens/s%n", round + 1, file.getKey(), s,
                        (double) calls * batch * length / s);
            }
        }
        Map<String, Map<String, Double>> profiles = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Path prefix = Files.createTempDirectory("graph-profile").resolve("profile");
            profiles.put(file.getKey(), byOperator(Path.of(
                    runProfiled(environment, file.getValue(), batch, length, calls, prefix.toString())), calls));
        }
        Files.deleteIfExists(everyToken);
        System.out.println();
        System.out.printf("%d inputs of %d tokens per call, %d calls per pass, %d rounds%n%n", batch, length, calls,
                rounds);
        System.out.println("| graph | tokens/s (median) | ms per call |");
        System.out.println("|---|---|---|");
        for (Map.Entry<String, List<Double>> entry : seconds.entrySet()) {
            double median = entry.getValue().stream().sorted().toList().get(entry.getValue().size() / 2);
            System.out.printf("| %s | %.0f | %.1f |%n", entry.getKey(), (double) calls * batch * length / median,
                    1000 * median / calls);
        }
        TreeMap<String, Double> order = new TreeMap<>();
        profiles.values().forEach(profile -> profile.forEach((op, ms) -> order.merge(op, ms, Math::max)));
        System.out.println();
        System.out.println("| operator (profiled), ms per call | " + String.join(" | ", profiles.keySet()) + " |");
        System.out.println("|---" + "|---".repeat(profiles.size()) + "|");
        order.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .filter(e -> e.getValue() >= 0.05)
                .forEach(e -> System.out.println("| " + e.getKey() + profiles.values().stream()
                        .map(profile -> String.format(" | %.1f", profile.getOrDefault(e.getKey(), 0.0)))
                        .collect(Collectors.joining()) + " |"));
        System.out.println("| all operators" + profiles.values().stream()
                .map(profile -> String.format(" | %.1f", profile.values().stream().mapToDouble(Double::doubleValue)
                        .sum()))
                .collect(Collectors.joining()) + " |");
    }

    private static OrtSession.SessionOptions options(String profile) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setMemoryPatternOptimization(false);
        options.addConfigEntry("session.intra_op.allow_spinning", "1");
        if (profile != null) {
            options.enableProfiling(profile);
        }
        return options;
    }

    private static double run(OrtEnvironment environment, Path model, int batch, int length, int calls,
            String profile) throws OrtException {
        try (OrtSession.SessionOptions options = options(profile);
                OrtSession session = environment.createSession(model.toString(), options)) {
            return calls(environment, session, batch, length, calls);
        }
    }

    private static String runProfiled(OrtEnvironment environment, Path model, int batch, int length, int calls,
            String profile) throws OrtException {
        try (OrtSession.SessionOptions options = options(profile);
                OrtSession session = environment.createSession(model.toString(), options)) {
            calls(environment, session, batch, length, calls);
            return session.endProfiling();
        }
    }

    /** Seconds for CALLS calls after 5 unmeasured ones; every input padded by a few tokens but the first. */
    private static double calls(OrtEnvironment environment, OrtSession session, int batch, int length, int calls)
            throws OrtException {
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        Random random = new Random(1);
        for (int b = 0; b < batch; b++) {
            int valid = b == 0 ? length : length - random.nextInt(Math.max(1, length / 10));
            for (int t = 0; t < valid; t++) {
                ids[b * length + t] = t == 0 ? 101 : t == valid - 1 ? 102 : 1000 + random.nextInt(28000);
                mask[b * length + t] = 1;
            }
        }
        long[] shape = {batch, length};
        long start = 0;
        for (int call = 0; call < calls + 5; call++) {
            if (call == 5) {
                start = System.nanoTime();
            }
            try (OnnxTensor input = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                    OnnxTensor attention = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                    OnnxTensor type = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape);
                    OrtSession.Result unused = session.run(
                            Map.of("input_ids", input, "attention_mask", attention, "token_type_ids", type))) {
                // the outputs are not read: only the model's time is measured
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Kernel time by operator type, in ms per call, from a profile's JSON (one event per line). */
    private static Map<String, Double> byOperator(Path profile, int calls) throws Exception {
        Pattern duration = Pattern.compile("\"dur\"\\s*:\\s*(\\d+)");
        Pattern operator = Pattern.compile("\"op_name\"\\s*:\\s*\"([^\"]+)\"");
        Map<String, Double> byOp = new TreeMap<>();
        for (String line : Files.readAllLines(profile)) {
            if (!line.contains("_kernel_time")) {
                continue;
            }
            Matcher d = duration.matcher(line);
            Matcher o = operator.matcher(line);
            if (d.find() && o.find()) {
                byOp.merge(o.group(1), Long.parseLong(d.group(1)) / 1000.0, Double::sum);
            }
        }
        // The profile also covers the 5 unmeasured calls.
        byOp.replaceAll((op, ms) -> ms / (calls + 5));
        Files.deleteIfExists(profile);
        return byOp;
    }
}
