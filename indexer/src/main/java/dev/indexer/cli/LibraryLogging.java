package dev.indexer.cli;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Keeps the libraries' logs out of the user's way: gRPC and Netty log through java.util.logging,
 * which is routed into SLF4J beside everything else, and SLF4J shows only errors unless the
 * environment variable {@code INDEXER_LOG} names another level ({@code warn}, {@code info},
 * {@code debug}). Set up once, in {@code main}, before any library logs.
 */
final class LibraryLogging {
    static final String ENV = "INDEXER_LOG";

    private LibraryLogging() {}

    static void configure(Map<String, String> env) {
        String level = env.getOrDefault(ENV, "").strip().toLowerCase(Locale.ROOT);
        if (!level.isEmpty()) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        }
        LogManager.getLogManager().reset();
        SLF4JBridgeHandler.install();
        // java.util.logging drops records below its own level before the bridge sees them.
        java.util.logging.Logger.getLogger("").setLevel(switch (level) {
            case "debug", "trace" -> Level.FINE;
            case "info" -> Level.INFO;
            default -> Level.WARNING;
        });
    }
}
