package io.tributary.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A manifest read from the lake cannot point a query or a cache outside the index directory. */
class IndexManifestTest {
    private static final String SHA = "ab".repeat(32);

    private static String manifestWith(String file, String sha256) {
        return """
                {"datanet":"legal","tokenizer":"bytes","version":3,"shards":[{"shard":0,"file":"%s","version":3,
                 "tokens":10,"documents":1,"bytes":200,"sha256":"%s","first_ingest_order":0,"last_ingest_order":0}]}
                """.formatted(file, sha256);
    }

    @Test
    void aWellFormedManifestRoundTrips() {
        IndexManifest manifest = IndexManifest.fromJson(manifestWith("shards/shard-000000.trib", SHA), "test");
        assertThat(IndexManifest.fromJson(manifest.toJson(), "again")).isEqualTo(manifest);
        assertThat(manifest.shards()).extracting(IndexManifest.Entry::file).containsExactly("shards/shard-000000.trib");
    }

    @Test
    void filesOutsideTheIndexDirectoryAreRefused() {
        for (String file : List.of("../../contributions/part-0.parquet", "shards/../../x", "/etc/passwd",
                "file:/etc/passwd", "hdfs://other/x", "shards//x", "", "./shards/x", "shards\\\\..\\\\x")) {
            assertThatThrownBy(() -> IndexManifest.fromJson(manifestWith(file, SHA), "test"))
                    .as(file).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a relative path inside the index directory");
        }
    }

    @Test
    void checksumsThatAreNotSha256AreRefused() {
        assertThatThrownBy(() -> IndexManifest.fromJson(manifestWith("shards/shard-000000.trib", "../../evil"), "test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 lowercase hex");
    }
}
