package dev.indexer.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentSnifferTest {
    @TempDir
    Path dir;

    private final ContentSniffer sniffer = new ContentSniffer(4000);

    /** The verdict on a file with this content: the sniffer sees its first bytes, as the reader hands them over. */
    private ContentSniffer.Verdict examine(String name, byte[] content) {
        return sniffer.judge(java.util.Arrays.copyOf(content, Math.min(content.length, ContentSniffer.HEAD_BYTES)), name);
    }

    private static ContentSniffer.Skip skip(ContentSniffer.Verdict verdict) {
        return assertInstanceOf(ContentSniffer.Skip.class, verdict);
    }

    @Test
    void sourceCodeInManyLanguagesIsText() throws IOException {
        String[][] files = {
            {"A.java", "package a;\npublic class A { int x = 1; }\n"},
            {"app.ts", "export const answer: number = 42;\n"},
            {"run.sh", "#!/bin/sh\necho hello\n"},
            {"page.html", "<!DOCTYPE html><html><body>hi</body></html>\n"},
            {"data.json", "{\"a\": [1, 2, 3]}\n"},
            {"pom.xml", "<?xml version=\"1.0\"?><project></project>\n"},
            {"notes.md", "# Título\n\nÜber naïve café — “quotes”.\n"},
        };
        for (String[] f : files) {
            assertInstanceOf(ContentSniffer.Text.class, examine(f[0], f[1].getBytes(StandardCharsets.UTF_8)), f[0]);
        }
    }

    @Test
    void binaryIsDetectedByContentNotExtension() throws IOException {
        byte[] png;
        try (InputStream in = getClass().getResourceAsStream("/logo.png")) {
            png = in.readAllBytes();
        }
        ContentSniffer.Skip image = skip(examine("looks-like-code.ts", png));
        assertEquals(SkipReason.BINARY, image.reason());
        assertEquals("detected as image/png", image.detail());

        var zipBytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            zip.putNextEntry(new ZipEntry("a.txt"));
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(SkipReason.BINARY, skip(examine("lib.java", zipBytes.toByteArray())).reason());

        byte[] withNul = "plain text\u0000with a NUL".getBytes(StandardCharsets.UTF_8);
        assertEquals(SkipReason.BINARY, skip(examine("odd.txt", withNul)).reason());
    }

    @Test
    void anotherEncodingIsNotUtf8ButAStrayByteIsFine() throws IOException {
        byte[] latin1 = "Ça coûte très cher à Genève, évidemment. ".repeat(20).getBytes(StandardCharsets.ISO_8859_1);
        ContentSniffer.Skip skip = skip(examine("latin1.txt", latin1));
        assertEquals(SkipReason.NOT_UTF8, skip.reason());
        assertTrue(skip.detail().contains("invalid UTF-8 sequences"), skip.detail());

        byte[] mostlyUtf8 = ("// author: Jos" + "\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        byte[] file = (new String(mostlyUtf8, StandardCharsets.ISO_8859_1) + "\nint main() { return 0; }\n".repeat(20))
                .getBytes(StandardCharsets.ISO_8859_1);
        assertInstanceOf(ContentSniffer.Text.class, examine("main.c", file));
    }

    @Test
    void aVeryLongLineMeansMinifiedOrGenerated() throws IOException {
        String minified = "var a=1;".repeat(600);
        ContentSniffer.Skip skip = skip(examine("app.js", minified.getBytes(StandardCharsets.UTF_8)));
        assertEquals(SkipReason.GENERATED, skip.reason());
        String normal = "var a = 1;\n".repeat(600);
        assertInstanceOf(ContentSniffer.Text.class, examine("ok.js", normal.getBytes(StandardCharsets.UTF_8)));
    }
}
