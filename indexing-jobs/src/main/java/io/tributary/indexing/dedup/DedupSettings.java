package io.tributary.indexing.dedup;

import io.tributary.core.config.ConfigException;
import io.tributary.core.config.TributaryConfig;
import java.io.Serializable;

/**
 * The near-duplicate detector's parameters, read from {@code tributary.dedup} and validated once:
 * word shingle size, MinHash functions split into {@code bands} bands of {@code rows} rows, the verified
 * Jaccard threshold, the hash family's seed, the largest LSH bucket paired exhaustively, and how verified
 * pairs become clusters.
 */
public record DedupSettings(int shingleSize, int hashes, int bands, int rows, double threshold, long seed,
        int maxBucketSize, Clustering clustering) implements Serializable {
    static final String SECTION = "tributary.dedup";

    public DedupSettings {
        require(shingleSize >= 1, "shingle-size", "must be at least 1, not " + shingleSize);
        require(hashes >= 1, "hashes", "must be at least 1, not " + hashes);
        require(bands >= 1, "bands", "must be at least 1, not " + bands);
        require(rows >= 1, "rows", "must be at least 1, not " + rows);
        require((long) bands * rows == hashes, "bands",
                "times rows must equal hashes: " + bands + " x " + rows + " = " + (long) bands * rows
                        + ", but hashes = " + hashes);
        require(threshold > 0.0 && threshold <= 1.0, "threshold", "must be in (0, 1], not " + threshold);
        require(maxBucketSize >= 2, "max-bucket-size", "must be at least 2, not " + maxBucketSize);
    }

    public static DedupSettings from(TributaryConfig config) {
        return new DedupSettings(
                config.integer(SECTION + ".shingle-size"),
                config.integer(SECTION + ".hashes"),
                config.integer(SECTION + ".bands"),
                config.integer(SECTION + ".rows"),
                config.decimal(SECTION + ".threshold"),
                config.longValue(SECTION + ".seed"),
                config.integer(SECTION + ".max-bucket-size"),
                Clustering.named(config.string(SECTION + ".clustering")));
    }

    /** The chance that a pair of Jaccard {@code similarity} shares at least one band: 1 - (1 - s^r)^b. */
    public double candidateProbability(double similarity) {
        return 1.0 - Math.pow(1.0 - Math.pow(similarity, rows), bands);
    }

    public MinHasher minHasher() {
        return new MinHasher(hashes, seed);
    }

    private static void require(boolean condition, String key, String problem) {
        if (!condition) {
            throw new ConfigException(SECTION + "." + key, problem);
        }
    }
}
