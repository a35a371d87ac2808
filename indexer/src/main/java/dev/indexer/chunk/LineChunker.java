package dev.indexer.chunk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Packs lines into chunks of at most {@code maxTokens} tokens, cutting only between lines; the
 * next chunk repeats about {@code overlapTokens} tokens of the previous one's last lines so a
 * match near a boundary is not lost. A single line over the limit is cut into pieces. Holds one
 * chunk's worth of lines.
 */
final class LineChunker {
    private final String path;
    private final String language;
    private final ChunkingOptions options;
    private final TokenCounter counter;
    private final Chunk.Sink sink;
    private final Chunk.Context context;
    private final int headerTokens;
    /** Tokens of lines per chunk: the model's budget less the header's. */
    private final int budget;
    /** Lines per chunk at most ({@link ChunkingOptions#maxLines}): the window in memory is bounded too. */
    private final int maxLines;
    private final Deque<Counted> window = new ArrayDeque<>();
    private int windowTokens;
    private int freshLines;
    private int ordinal;

    private record Counted(int number, String text, int tokens) {}

    /**
     * @param header what every chunk's embedded text starts with (its path); empty for none
     * @param headerTokens the header's tokens, taken from each chunk's budget
     */
    LineChunker(String path, ChunkingOptions options, TokenCounter counter, Chunk.Sink sink, String header,
            int headerTokens) {
        this.path = path;
        this.language = Language.of(path);
        this.options = options;
        this.counter = counter;
        this.sink = sink;
        this.context = header.isEmpty() ? Chunk.Context.NONE : Chunk.Context.headerOnly(header);
        this.headerTokens = header.isEmpty() ? 0 : headerTokens;
        this.budget = Math.max(8, options.maxTokens() - this.headerTokens);
        this.maxLines = options.maxLines();
    }

    /** Adds a block of consecutive lines; counting them together keeps tokenizer calls few. */
    void add(List<Line> lines) throws InterruptedException {
        int[] tokens = counter.countLines(lines.stream().map(Line::text).toList());
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (tokens[i] > budget) {
                for (Counted piece : split(line.number(), line.text(), tokens[i])) {
                    push(piece);
                }
            } else {
                push(new Counted(line.number(), line.text(), tokens[i]));
            }
        }
    }

    /** Emits what is left; returns the number of chunks emitted for the file. */
    int finish() throws InterruptedException {
        if (freshLines > 0) {
            emit();
        }
        return ordinal;
    }

    private void push(Counted line) throws InterruptedException {
        if (windowTokens + line.tokens() > budget || window.size() >= maxLines) {
            if (freshLines > 0) {
                emit();
                keepOverlap();
            }
            while (!window.isEmpty() && (windowTokens + line.tokens() > budget || window.size() >= maxLines)) {
                windowTokens -= window.removeFirst().tokens();
            }
        }
        window.addLast(line);
        windowTokens += line.tokens();
        freshLines++;
    }

    private void keepOverlap() {
        int kept = 0;
        Deque<Counted> tail = new ArrayDeque<>();
        while (!window.isEmpty()) {
            Counted last = window.peekLast();
            // window.size() == 1: never carry every line over, or the next chunk would not advance;
            // nor more than an eighth of a chunk's lines (blank lines carry no tokens)
            if (kept + last.tokens() > options.overlapTokens() || window.size() == 1 || tail.size() >= maxLines / 8) {
                break;
            }
            tail.addFirst(window.removeLast());
            kept += last.tokens();
        }
        window.clear();
        window.addAll(tail);
        windowTokens = kept;
        freshLines = 0;
    }

    private void emit() throws InterruptedException {
        if (window.stream().allMatch(line -> line.text().isBlank())) {
            return; // nothing to search for in a run of empty lines
        }
        String text = window.stream().map(Counted::text).collect(Collectors.joining("\n"));
        sink.accept(new Chunk(path, ordinal++, window.peekFirst().number(), window.peekLast().number(), language, text,
                windowTokens + headerTokens, context));
    }

    /** Cuts an over-long line into pieces that fit, guided by its measured tokens per character. */
    private List<Counted> split(int number, String text, int tokens) {
        List<Counted> pieces = new ArrayList<>();
        int step = Math.max(16, (int) ((long) text.length() * budget / tokens * 9 / 10));
        List<String> parts = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = Math.min(text.length(), start + step);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            parts.add(text.substring(start, end));
            start = end;
        }
        int[] counts = counter.countLines(parts);
        for (int i = 0; i < parts.size(); i++) {
            if (counts[i] > budget && parts.get(i).length() > 16) {
                pieces.addAll(split(number, parts.get(i), counts[i]));
            } else {
                pieces.add(new Counted(number, parts.get(i), Math.min(counts[i], budget)));
            }
        }
        return pieces;
    }
}
