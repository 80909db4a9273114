package io.tributary.serving.adapters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A registered adapter this server can serve: its row of the {@code adapters} table (what the log and
 * {@code /v1/models} need) and where its files are. A linear merge of several registered adapters requested as
 * {@code "a+b"} is one too: it carries its parts, and bills as its heaviest part (the inference record names one
 * adapter; all parts come from one Datanet, so that Datanet's contributors are the ones paid).
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
        Instant createdAt,
        List<MergePart> mergedFrom) {

    /** One adapter of a merge and its weight. */
    public record MergePart(ServedAdapter adapter, double weight) {}

    public ServedAdapter {
        mergedFrom = List.copyOf(mergedFrom);
    }

    /** The linear merge of {@code parts}; its billing fields are those of the heaviest part (the first on ties). */
    public static ServedAdapter merge(List<MergePart> parts) {
        MergePart heaviest = parts.get(0);
        for (MergePart part : parts) {
            if (part.weight() > heaviest.weight()) {
                heaviest = part;
            }
        }
        ServedAdapter billed = heaviest.adapter();
        return new ServedAdapter(billed.adapterId(), billed.name(), billed.datanet(), billed.datanetVersion(), billed.baseModelSha256(),
                billed.adapterSha256(), billed.artifactPath(), billed.creator(), parts.stream().mapToInt(p -> p.adapter().rank()).sum(),
                billed.createdAt(), parts);
    }

    /** Whether this is a merge of several adapters. */
    public boolean merged() {
        return !mergedFrom.isEmpty();
    }

    /** The key the adapter cache holds it under: its id, or its parts and weights for a merge. */
    public String cacheKey() {
        if (mergedFrom.isEmpty()) {
            return adapterId;
        }
        StringBuilder key = new StringBuilder("merge");
        mergedFrom.forEach(part -> key.append(':').append(part.adapter().adapterId()).append('*').append(part.weight()));
        return key.toString();
    }

    /** The adapter's local directory when its artifact is on the local file system, else null (fetched to the disk tier). */
    public Path localDirectory() {
        if (artifactPath.startsWith("file:")) {
            return Path.of(java.net.URI.create(artifactPath.replaceFirst("^file:/+", "file:///")));
        }
        return artifactPath.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? null : Path.of(artifactPath);
    }
}
