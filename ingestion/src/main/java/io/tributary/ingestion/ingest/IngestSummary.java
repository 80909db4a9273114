package io.tributary.ingestion.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one ingest run did. Always {@code read = accepted + duplicates + quarantined}; {@code batchId} is
 * null when the run changed nothing (every line already accepted or quarantined before).
 */
public record IngestSummary(
        String datanet,
        long read,
        long accepted,
        long duplicates,
        long quarantined,
        long newlyQuarantined,
        Map<String, Long> reasons,
        long version,
        String batchId,
        String merkleRoot,
        double seconds) {

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("datanet", datanet);
        json.put("read", read);
        json.put("accepted", accepted);
        json.put("duplicates", duplicates);
        json.put("quarantined", quarantined);
        json.put("newly_quarantined", newlyQuarantined);
        json.put("reasons", reasons);
        json.put("version", version);
        json.put("batch", batchId);
        json.put("merkle_root", merkleRoot);
        json.put("seconds", Math.round(seconds * 1000) / 1000.0);
        return json;
    }

    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("ingested into %s: read %d, accepted %d, duplicates %d, quarantined %d (new %d)%n",
                datanet, read, accepted, duplicates, quarantined, newlyQuarantined));
        reasons.forEach((reason, count) -> {
            if (count > 0) {
                text.append(String.format("  quarantined %-16s %d%n", reason, count));
            }
        });
        text.append(batchId == null
                ? "no new rows: nothing committed"
                : "batch " + batchId + ", merkle root " + merkleRoot);
        text.append(String.format("%ncontributions table version %d, %.1f s", version, seconds));
        return text.toString();
    }
}
