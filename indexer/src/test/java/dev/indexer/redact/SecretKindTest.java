package dev.indexer.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The one-pass look for fragments answers as each kind's own look does, on every kind of line. */
class SecretKindTest {
    private static int oneByOne(String line) {
        int bits = 0;
        for (SecretKind kind : SecretKind.values()) {
            if (kind.mayBeIn(line)) {
                bits |= kind.bit();
            }
        }
        return bits;
    }

    @Test
    void kindsInIsEveryKindsMayBeIn() throws IOException {
        List<String> lines = new ArrayList<>(List.of("", "a", "AKIA", "xAKIAx", "AKI", "ghp", "ghp_", "-us",
                "key-", "KEY-", "sk-ant-", "sk-", "\u00e9AIza\u4e2d", "AKIAAKIA", "https://u:p@h", "-----BEGIN RSA",
                "[REDACTED:aws-access-key-id]", "SG.SK.eyJ", "uthorizationUTHORIZATION", "passwordPASSWORD",
                // fragments that start inside another's beginning: the automaton's fallbacks
                "------BEGIN", "AAKIA", "AKIAKIA", "sksk-ant-", "ghghp_", "eyeyJ", "kkey-", "-u-us", "::AA", "sshp",
                "hhf_", "gglpat-", "xxox", "k_k_live_", "ATATATT3", "ccountKeyy", "hooks.hooks.slack.com", "sk-antsk-"));
        Random random = new Random(7);
        String alphabet = "aAkKsSgGhxXyYeE-_:./=\"' \u00e9\u4e2d0123456789IoOpPdDnNlLrRtTwWcCuUvVbB";
        List<String> fragments = new ArrayList<>();
        for (SecretKind kind : SecretKind.values()) {
            for (int i = 0; i < 200; i++) {
                StringBuilder line = new StringBuilder();
                int length = random.nextInt(40);
                for (int c = 0; c < length; c++) {
                    line.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                fragments.add(line.toString());
            }
        }
        lines.addAll(fragments);
        // Each kind's own fragments, whole and cut short, inside other text.
        for (String line : fragments.subList(0, 300)) {
            for (String trigger : List.of("AKIA", "aws", "ghp_", "glpat-", "xox", "hooks.slack.com", "k_live_", "AIza",
                    "sk-ant-", "SG.", "npm_", "ccountKey", "SK", "hvs.", ":AA", "eyJ", "uthorization", "://", "ass",
                    "oken", "-----BEGIN")) {
                int at = random.nextInt(line.length() + 1);
                lines.add(line.substring(0, at) + trigger + line.substring(at));
                lines.add(line.substring(0, at) + trigger.substring(0, trigger.length() - 1) + line.substring(at));
            }
        }
        // Real code and configuration.
        try (Stream<Path> files = Files.walk(Path.of("../samples"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                lines.addAll(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList());
            }
        }
        for (String line : lines) {
            assertEquals(oneByOne(line), SecretKind.kindsIn(line), line);
        }
    }
}
