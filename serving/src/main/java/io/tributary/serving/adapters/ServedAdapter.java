package io.tributary.serving.adapters;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A registered adapter this server can serve: its row of the {@code adapters} table (what the log and
 * {@code /v1/models} need) and where its files are.
 */
public record ServedAdapter(
        String adapterId,
        String name,
        String datanet,
        long datanetVersion,
        String baseModelSha256,
        String adapterSha256,
        String artifactPath,
        String creator,
        int rank,
        Instant createdAt) {

    /** The adapter's local directory when its artifact is on the local file system, else null (fetched to the disk tier). */
    public Path localDirectory() {
        if (artifactPath.startsWith("file:")) {
            return Path.of(java.net.URI.create(artifactPath.replaceFirst("^file:/+", "file:///")));
        }
        return artifactPath.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? null : Path.of(artifactPath);
    }
}
