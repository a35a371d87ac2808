package dev.indexer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({
        "300, 300",
        "512k, 524288",
        "512K, 524288",
        "512kb, 524288",
        "5MB, 5242880",
        "5 MiB, 5242880",
        "1g, 1073741824",
        "1.5m, 1572864",
        "0, 0"
    })
    void parsesUnits(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5XB", "-1", "mb", "5 m b", "1e3"})
    void rejectsWithTheAcceptedForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
        assertTrue(e.getMessage().contains("512k, 5MB, 1g"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"0, 0 B", "1023, 1023 B", "1024, 1.0 KB", "5242880, 5.0 MB", "157286400, 150 MB"})
    void formatsForPeople(long bytes, String text) {
        assertEquals(text, ByteSize.format(bytes));
    }
}
