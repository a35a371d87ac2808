package dev.indexer.embed.onnx.graph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Rewrites a BERT-style ONNX model (as exported from PyTorch and quantized dynamically, like the
 * shipped bge-small and MiniLM files) into a graph that ONNX Runtime's CPU provider runs faster,
 * computing what the file describes. Measured on this project's 2-core machine (docs/benchmarks.md):
 *
 * <ul>
 *   <li><b>Layer norms stay in separate operators.</b> ONNX Runtime fuses the exported
 *       ReduceMean-Sub-Pow-ReduceMean-Add-Sqrt-Div-Mul-Add chain into its LayerNormalization
 *       kernel, whose CPU loop is scalar (a division per element, the variance in one pass as
 *       E[x^2] - E[x]^2): a quarter of the model's time, 1.06 ms per call at 1,023 x 384 on two
 *       threads, against about 0.25 ms for the separate vectorized operators. Writing x^2 as x * x
 *       (exact) keeps the fusion from matching, and the two-pass variance the file describes is
 *       computed as written.</li>
 *   <li><b>Attention in one operator.</b> Each layer's reshapes, transposes, two matrix products,
 *       scale, mask and softmax become one {@code com.microsoft:MultiHeadAttention} with the
 *       padding mask as its key padding mask: the same numbers (bit for bit on the shipped
 *       models), without materializing the transposed heads.</li>
 *   <li><b>Only the first token through the last layer</b>, for a model whose vector is its first
 *       token's (bge-small): the last block's keys and values still come from every token, but its
 *       query, and everything after the attention (a dense layer, two layer norms, the feed-forward
 *       part: about 80% of a layer's arithmetic), from the first token alone. The output then holds
 *       one position per input instead of all of them.</li>
 * </ul>
 *
 * A rule applies only where its whole pattern matches; anything else is left as it is, so an
 * unfamiliar model comes out unchanged (and the caller then keeps the original file).
 */
public final class FasterGraph {
    /** The rewrites this class knows. */
    public enum Rewrite {
        /** Layer norms as the separate operators the file describes, not ONNX Runtime's fused kernel. */
        SEPARATE_LAYER_NORM,
        /** Each self-attention block as one MultiHeadAttention operator. */
        FUSED_ATTENTION,
        /**
         * The last layer after its keys and values for the first token alone, for models pooled by
         * that token; needs {@link #FUSED_ATTENTION}.
         */
        FIRST_TOKEN_OUTPUT
    }

    /** What a rewrite changed. */
    public record Result(int layerNorms, int attentionBlocks, boolean firstTokenOutput, int nodesBefore,
            int nodesAfter) {
        public boolean changed() {
            return layerNorms > 0 || attentionBlocks > 0 || firstTokenOutput;
        }
    }

    static final String MS_DOMAIN = "com.microsoft";
    private static final String MASK_INPUT = "attention_mask";
    private static final long ONNX_INT32 = 6;
    /** An additive mask this negative removes a key: exp() of it is 0 in float, as for MultiHeadAttention's own. */
    private static final double MASK_AT_MOST = -1e4;

    private final List<Node> nodes;
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();
    private final Set<String> names = new HashSet<>();

    private FasterGraph(List<Node> nodes) {
        this.nodes = nodes;
        for (Node node : nodes) {
            names.add(node.name());
            node.outputs().forEach(output -> producers.put(output, node));
            node.inputs().forEach(input -> consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node));
        }
    }

    /**
     * Writes {@code source} rewritten to {@code target} when some rule applied, and returns what
     * changed; writes nothing when nothing did.
     */
    public static Result rewrite(Path source, Path target, Set<Rewrite> rewrites) throws IOException {
        ModelFile model = ModelFile.read(source);
        FasterGraph graph = new FasterGraph(model.nodes());
        Map<Node, Node> replaced = new IdentityHashMap<>();
        int layerNorms = rewrites.contains(Rewrite.SEPARATE_LAYER_NORM) ? graph.separateLayerNorms(replaced) : 0;
        String mask = graph.unusedName(MASK_INPUT + "_int32");
        int attention = rewrites.contains(Rewrite.FUSED_ATTENTION) ? graph.fuseAttention(replaced, mask) : 0;
        int before = model.nodes().size();
        if (layerNorms == 0 && attention == 0) {
            return new Result(0, 0, false, before, before);
        }
        List<Node> rewritten = new ArrayList<>(before + 1);
        if (attention > 0) {
            rewritten.add(Node.create(mask, "Cast", "", List.of(MASK_INPUT), List.of(mask), Map.of("to", ONNX_INT32)));
        }
        for (Node node : model.nodes()) {
            rewritten.add(replaced.getOrDefault(node, node));
        }
        List<Node> kept = withoutDeadNodes(rewritten, model.graphOutputs());
        Optional<List<Node>> firstToken = rewrites.contains(Rewrite.FIRST_TOKEN_OUTPUT)
                ? new FasterGraph(kept).firstTokenOutput(model.graphOutputs(), Set.copyOf(model.graphInputs()))
                : Optional.empty();
        if (firstToken.isPresent()) {
            kept = firstToken.get();
        }
        model.write(target, kept, MS_DOMAIN, 1);
        return new Result(layerNorms, attention, firstToken.isPresent(), before, kept.size());
    }

    /** All rules, as the indexer applies them to a model pooled by its first token. */
    public static Set<Rewrite> all() {
        return EnumSet.allOf(Rewrite.class);
    }

    /** The rules for a model whose vector is made from every token (a mean): its output must keep them all. */
    public static Set<Rewrite> allTokens() {
        return EnumSet.of(Rewrite.SEPARATE_LAYER_NORM, Rewrite.FUSED_ATTENTION);
    }

    private int separateLayerNorms(Map<Node, Node> replaced) {
        int count = 0;
        for (Node pow : nodes) {
            if (!pow.is("Pow") || !constant(pow.input(1)).stream().anyMatch(v -> v == 2.0)) {
                continue;
            }
            Node sub = producer(pow.input(0), "Sub");
            Node mean = sub == null ? null : producer(sub.input(1), "ReduceMean");
            List<Node> uses = consumers.getOrDefault(pow.output(), List.of());
            if (mean == null || !mean.input(0).equals(sub.input(0)) || uses.size() != 1
                    || !uses.get(0).is("ReduceMean")) {
                continue;
            }
            String x = pow.input(0);
            replaced.put(pow, Node.create(pow.name(), "Mul", "", List.of(x, x), pow.outputs(), Map.of()));
            count++;
        }
        return count;
    }

    private int fuseAttention(Map<Node, Node> replaced, String mask) {
        int count = 0;
        for (Node softmax : nodes) {
            if (softmax.is("Softmax")) {
                Optional<Fused> fused = attentionAround(softmax, mask);
                if (fused.isPresent()) {
                    replaced.put(fused.get().join(), fused.get().attention());
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * The nodes with the last attention block's query and the residual around it cut to the first
     * position, so that everything after the attention runs on one position per input; empty when
     * the graph after that block is not a chain over its output and one tensor beside it (the
     * block's input, added back as the residual), or no graph output depends on it. The keys and
     * values keep every position, under the same padding mask.
     */
    private Optional<List<Node>> firstTokenOutput(List<String> graphOutputs, Set<String> graphInputs) {
        Node last = null;
        for (Node node : nodes) {
            if (node.opType().equals("MultiHeadAttention") && node.domain().equals(MS_DOMAIN)) {
                last = node;
            }
        }
        if (last == null || last.input(0).isEmpty() || last.input(1).isEmpty() || last.input(2).isEmpty()) {
            return Optional.empty();
        }
        Set<Node> after = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<String> pending = new ArrayDeque<>(last.outputs());
        while (!pending.isEmpty()) {
            for (Node node : consumers.getOrDefault(pending.pop(), List.of())) {
                if (after.add(node)) {
                    pending.addAll(node.outputs());
                }
            }
        }
        // What the nodes after the block read besides each other: weights, constants, and one tensor.
        Set<String> beside = new HashSet<>();
        for (Node node : after) {
            for (String input : node.inputs()) {
                Node producer = producers.get(input);
                if (input.isEmpty() || (producer != null && (after.contains(producer) || producer.is("Constant")))) {
                    continue;
                }
                if (producer == null && graphInputs.contains(input)) {
                    return Optional.empty(); // a model input has every position
                }
                if (producer != null) {
                    beside.add(input); // else a weight
                }
            }
        }
        beside.remove(last.output());
        if (beside.size() != 1 || graphOutputs.stream().map(producers::get).noneMatch(after::contains)) {
            return Optional.empty();
        }
        String residual = beside.iterator().next();
        List<Node> readers = after.stream().filter(node -> node.inputs().contains(residual)).toList();
        if (readers.size() != 1 || !readers.get(0).is("Add") || !computedFrom(last.input(0), residual)) {
            return Optional.empty();
        }
        String start = unusedName("first_token_start");
        String end = unusedName("first_token_end");
        String axis = unusedName("first_token_axis");
        String query = unusedName(last.input(0) + "_first_token");
        String input = unusedName(residual + "_first_token");
        List<Node> cut = List.of(Node.constantInt64s(start, start, 0), Node.constantInt64s(end, end, 1),
                Node.constantInt64s(axis, axis, 1),
                Node.create(query, "Slice", "", List.of(last.input(0), start, end, axis), List.of(query), Map.of()),
                Node.create(input, "Slice", "", List.of(residual, start, end, axis), List.of(input), Map.of()));
        List<Node> rewritten = new ArrayList<>(nodes.size() + cut.size());
        for (Node node : nodes) {
            if (node == last) {
                rewritten.addAll(cut);
                rewritten.add(node.withInput(node.input(0), query));
            } else if (node == readers.get(0)) {
                rewritten.add(node.withInput(residual, input));
            } else {
                rewritten.add(node);
            }
        }
        return Optional.of(rewritten);
    }

    /** True when {@code from} is among the tensors {@code name} is computed from, a few nodes back. */
    private boolean computedFrom(String name, String from) {
        Deque<String> pending = new ArrayDeque<>(List.of(name));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty() && seen.size() < 64) {
            String current = pending.pop();
            if (current.equals(from)) {
                return true;
            }
            Node producer = producers.get(current);
            if (seen.add(current) && producer != null) {
                pending.addAll(producer.inputs());
            }
        }
        return false;
    }

    /** The Reshape that joins a block's heads again, and the node that replaces the whole block. */
    private record Fused(Node join, Node attention) {
    }

    /**
     * The MultiHeadAttention node that computes what the block around {@code softmax} computes:
     * softmax(Q K^T / d + mask) V over heads split by Reshape+Transpose and joined again, or empty
     * when any part differs from that shape.
     */
    private Optional<Fused> attentionAround(Node softmax, String mask) {
        long axis = softmax.intAttribute("axis", 1);
        Node add = producer(softmax.input(0), "Add");
        if ((axis != -1 && axis != 3) || add == null) {
            return Optional.empty();
        }
        Node div = producer(add.input(0), "Div");
        String maskValue = add.input(1);
        if (div == null) {
            div = producer(add.input(1), "Div");
            maskValue = add.input(0);
        }
        OptionalDouble divisor = div == null ? OptionalDouble.empty() : constant(div.input(1));
        Node scores = div == null ? null : producer(div.input(0), "MatMul");
        if (scores == null || divisor.isEmpty() || !(divisor.getAsDouble() > 0) || !isPaddingMask(maskValue)) {
            return Optional.empty();
        }
        Optional<Head> query = head(scores.input(0), List.of(0L, 2L, 1L, 3L));
        Optional<Head> key = head(scores.input(1), List.of(0L, 2L, 3L, 1L));
        List<Node> softmaxUses = consumers.getOrDefault(softmax.output(), List.of());
        if (query.isEmpty() || key.isEmpty() || softmaxUses.size() != 1 || !softmaxUses.get(0).is("MatMul")
                || !softmaxUses.get(0).input(0).equals(softmax.output())) {
            return Optional.empty();
        }
        Node weighted = softmaxUses.get(0);
        Optional<Head> value = head(weighted.input(1), List.of(0L, 2L, 1L, 3L));
        List<Node> weightedUses = consumers.getOrDefault(weighted.output(), List.of());
        if (value.isEmpty() || weightedUses.size() != 1 || !weightedUses.get(0).is("Transpose")
                || !weightedUses.get(0).intsAttribute("perm").equals(List.of(0L, 2L, 1L, 3L))) {
            return Optional.empty();
        }
        // Besides the Reshape, Shape nodes read the joined heads to compute the Reshape's target shape.
        List<Node> joinUses = consumers.getOrDefault(weightedUses.get(0).output(), List.of()).stream()
                .filter(node -> !node.is("Shape")).toList();
        if (joinUses.size() != 1 || !joinUses.get(0).is("Reshape")
                || !joinUses.get(0).input(0).equals(weightedUses.get(0).output())) {
            return Optional.empty();
        }
        long heads = query.get().heads();
        if (heads < 1 || key.get().heads() != heads || value.get().heads() != heads) {
            return Optional.empty();
        }
        Node join = joinUses.get(0);
        Map<String, Number> attributes = new LinkedHashMap<>();
        attributes.put("num_heads", heads);
        attributes.put("scale", (float) (1.0 / divisor.getAsDouble()));
        return Optional.of(new Fused(join, Node.create(join.name(), "MultiHeadAttention", MS_DOMAIN,
                List.of(query.get().input(), key.get().input(), value.get().input(), "", mask), join.outputs(),
                attributes)));
    }

    /** A [batch, sequence, hidden] input split into heads: Transpose(perm) of Reshape(input, [b, s, heads, size]). */
    private record Head(String input, long heads) {
    }

    private Optional<Head> head(String name, List<Long> perm) {
        Node transpose = producer(name, "Transpose");
        Node reshape = transpose == null ? null : producer(transpose.input(0), "Reshape");
        if (reshape == null || !transpose.intsAttribute("perm").equals(perm)
                || consumers.getOrDefault(transpose.output(), List.of()).size() != 1) {
            return Optional.empty();
        }
        Node shape = producer(reshape.input(1), "Concat");
        if (shape == null || shape.inputs().size() != 4) {
            return Optional.empty();
        }
        OptionalDouble heads = constant(shape.input(2));
        OptionalDouble size = constant(shape.input(3));
        if (heads.isEmpty() || size.isEmpty() || heads.getAsDouble() < 1 || size.getAsDouble() < 1) {
            return Optional.empty();
        }
        return Optional.of(new Head(reshape.input(0), (long) heads.getAsDouble()));
    }

    /**
     * True when {@code name} is the exported BERT padding mask: (1 - Cast(Unsqueeze(attention_mask)))
     * times a large negative number, so that a key whose mask is 0 gets no weight. Only that exact
     * chain is accepted, from the graph's {@code attention_mask} input.
     */
    private boolean isPaddingMask(String name) {
        Node mul = producer(name, "Mul");
        if (mul == null) {
            return false;
        }
        String rest;
        if (constant(mul.input(1)).stream().anyMatch(v -> v <= MASK_AT_MOST)) {
            rest = mul.input(0);
        } else if (constant(mul.input(0)).stream().anyMatch(v -> v <= MASK_AT_MOST)) {
            rest = mul.input(1);
        } else {
            return false;
        }
        Node sub = producer(rest, "Sub");
        if (sub == null || !constant(sub.input(0)).stream().anyMatch(v -> v == 1.0)) {
            return false;
        }
        String current = sub.input(1);
        for (int depth = 0; depth < 8; depth++) {
            Node node = producers.get(current);
            if (node == null) {
                return current.equals(MASK_INPUT);
            }
            if (!node.is("Cast") && !node.is("Unsqueeze")) {
                return false;
            }
            current = node.input(0);
        }
        return false;
    }

    private Node producer(String name, String op) {
        Node node = producers.get(name);
        return node != null && node.is(op) ? node : null;
    }

    private OptionalDouble constant(String name) {
        Node node = producers.get(name);
        return node == null ? OptionalDouble.empty() : node.constantScalar();
    }

    private String unusedName(String wanted) {
        String name = wanted;
        for (int i = 1; names.contains(name) || producers.containsKey(name) || consumers.containsKey(name); i++) {
            name = wanted + "_" + i;
        }
        return name;
    }

    /** The nodes that the graph's outputs depend on, in their order. */
    private static List<Node> withoutDeadNodes(List<Node> nodes, List<String> outputs) {
        Map<String, Node> producers = new HashMap<>();
        for (Node node : nodes) {
            node.outputs().forEach(output -> producers.put(output, node));
        }
        Set<Node> needed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> pending = new ArrayDeque<>();
        for (String output : outputs) {
            Node node = producers.get(output);
            if (node != null) {
                pending.push(node);
            }
        }
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            if (needed.add(node)) {
                for (String input : node.inputs()) {
                    Node producer = producers.get(input);
                    if (producer != null) {
                        pending.push(producer);
                    }
                }
            }
        }
        List<Node> kept = new ArrayList<>();
        for (Node node : nodes) {
            if (needed.contains(node)) {
                kept.add(node);
            }
        }
        return kept;
    }
}
