package io.tributary.lake.kernel.adapters;

import io.tributary.lake.kernel.KernelRows;
import java.time.Instant;
import java.util.Map;

/** One row of the {@code adapters} table: what was trained, from what, how, and how well. */
public record AdapterRecord(
        String adapterId,
        String baseModel,
        String baseModelSha256,
        String datanet,
        long datanetVersion,
        String corpusSource,
        long examples,
        String trainContributionIds,
        String evalContributionIds,
        String hyperParameters,
        String targetModules,
        int rank,
        double loraAlpha,
        long steps,
        long tokens,
        Double evalLossBefore,
        Double evalLossAfter,
        double seconds,
        String artifactPath,
        String adapterSha256,
        String creator,
        Instant createdAt,
        String name) {

    /** Names requests may use for an adapter: not a 64-hex id, no '+' (which joins adapters to merge), no path characters. */
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public AdapterRecord {
        name = name == null ? "" : name;
        if (!name.isEmpty() && (!NAME.matcher(name).matches() || name.matches("[0-9a-f]{64}"))) {
            throw new io.tributary.lake.kernel.LakeException("adapter name '" + name + "' must match " + NAME.pattern()
                    + " and not look like an adapter id");
        }
    }

    Map<String, Object> row() {
        return KernelRows.of(AdapterRegistry.SCHEMA, adapterId, baseModel, baseModelSha256, datanet, datanetVersion, corpusSource, examples,
                trainContributionIds, evalContributionIds, hyperParameters, targetModules, rank, loraAlpha, steps, tokens,
                evalLossBefore, evalLossAfter, seconds, artifactPath, adapterSha256, creator, createdAt,
                name.isEmpty() ? null : name);
    }
}
