package dev.indexer.lexical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader sees every commit at once, without reading every segment's info on each call to know. */
class SearchersTest {
    @TempDir
    Path dir;

    private static void commit(Directory directory, IndexWriterConfig.OpenMode mode, String... names) throws IOException {
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig().setOpenMode(mode))) {
            for (String name : names) {
                Document doc = new Document();
                doc.add(new StringField("name", name, Field.Store.YES));
                writer.addDocument(doc);
            }
            writer.commit();
        }
    }

    private static List<String> names(Searchers searchers) throws IOException {
        return searchers.withNewest(searcher -> {
            List<String> names = new ArrayList<>();
            for (ScoreDoc hit : searcher.search(new MatchAllDocsQuery(), 100).scoreDocs) {
                names.add(searcher.storedFields().document(hit.doc).get("name"));
            }
            return names.stream().sorted().toList();
        });
    }

    @Test
    void eachCommitIsSeenByTheNextReadAndTheHeldSearcherAnswersWhenTheFilesGo() throws IOException {
        try (Directory directory = new MMapDirectory(dir)) {
            commit(directory, IndexWriterConfig.OpenMode.CREATE, "ledger");
            try (Searchers searchers = new Searchers(directory)) {
                assertEquals(List.of("ledger"), names(searchers));
                assertEquals(List.of("ledger"), names(searchers), "nothing new: the same");
                commit(directory, IndexWriterConfig.OpenMode.APPEND, "invoice");
                assertEquals(List.of("invoice", "ledger"), names(searchers), "the next read sees the commit");

                // Its files deleted under it: the searcher held goes on answering (its files are open).
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
                assertEquals(List.of("invoice", "ledger"), names(searchers));
            }
        }
    }
}
