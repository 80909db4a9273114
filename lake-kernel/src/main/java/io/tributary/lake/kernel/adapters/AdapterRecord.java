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
        Instant createdAt) {

    Map<String, Object> row() {
        return KernelRows.of(AdapterRegistry.SCHEMA, adapterId, baseModel, baseModelSha256, datanet, datanetVersion, corpusSource, examples,
                trainContributionIds, evalContributionIds, hyperParameters, targetModules, rank, loraAlpha, steps, tokens,
                evalLossBefore, evalLossAfter, seconds, artifactPath, adapterSha256, creator, createdAt);
    }
}
