package io.tributary.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.attribution.job.AttributionJob;
import io.tributary.core.lake.LakeTable;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job on a real Flink MiniCluster over a real log into real Delta tables, run twice. */
class AttributionJobTest {
    @TempDir
    Path directory;

    @Test
    void attributesEveryFeeToTheWeiAndASecondRunAddsNothing() throws Exception {
        StreamFixture fixture = new StreamFixture(directory);
        fixture.writeLake();
        int count = 120;
        fixture.writeLog(fixture.logLines(count), 40, 0);
        AttributionSettings settings = fixture.settings(200);

        AttributionJob.prepare(settings).runEmbedded(AttributionJob.Mode.UNTIL_END);

        List<Map<String, Object>> inferences = fixture.rows(LakeTable.INFERENCES);
        assertThat(inferences).hasSize(count + 1); // plus the late one; the duplicate id is paid once
        List<Map<String, Object>> rejected = fixture.rows(LakeTable.REJECTED_INFERENCES);
        assertThat(rejected).extracting(row -> row.get("reason"))
                .containsExactlyInAnyOrder("unparsable_json", "unknown_adapter", "bad_fee");
        assertThat(rejected).filteredOn(row -> row.get("reason").equals("unparsable_json")).singleElement()
                .satisfies(row -> assertThat(new String((byte[]) row.get("raw"))).isEqualTo("{not json"));

        // Every fee is conserved to the wei across its attribution rows.
        Map<String, BigInteger> paid = new HashMap<>();
        for (Map<String, Object> row : fixture.rows(LakeTable.ATTRIBUTIONS)) {
            paid.merge((String) row.get("inference_id"), new BigInteger((String) row.get("wei")), BigInteger::add);
        }
        for (Map<String, Object> inference : inferences) {
            assertThat(paid.get(inference.get("inference_id"))).as("%s", inference.get("inference_id"))
                    .isEqualTo(new BigInteger((String) inference.get("fee_wei")));
        }
        // Base-model inferences pay the protocol only; quoted text pays its contributor through a span.
        List<Map<String, Object>> attributions = fixture.rows(LakeTable.ATTRIBUTIONS);
        assertThat(attributions).filteredOn(row -> row.get("inference_id").equals("fixture-0")).singleElement()
                .satisfies(row -> assertThat(row.get("kind")).isEqualTo("protocol"));
        assertThat(attributions).filteredOn(row -> row.get("kind").equals("span")).isNotEmpty()
                .allSatisfy(row -> assertThat(StreamFixture.CONTRIBUTORS).contains((String) row.get("account")));
        assertThat(attributions).filteredOn(row -> row.get("inference_id").equals("fixture-4")
                && row.get("kind").equals("creator")).singleElement()
                .satisfies(row -> assertThat(row.get("account")).isEqualTo(StreamFixture.TREASURY));

        // Epochs: all closed (until-end), payouts sum to the epoch's fees, the late record is marked and moved.
        List<Map<String, Object>> epochs = fixture.rows(LakeTable.ATTRIBUTION_EPOCHS);
        Map<Long, BigInteger> payouts = fixture.rows(LakeTable.EPOCH_PAYOUTS).stream().collect(Collectors.toMap(
                row -> (Long) row.get("epoch"), row -> new BigInteger((String) row.get("wei")), BigInteger::add));
        assertThat(epochs).isNotEmpty().allSatisfy(epoch -> assertThat(payouts.get((Long) epoch.get("epoch")))
                .isEqualTo(new BigInteger((String) epoch.get("fees_wei"))));
        assertThat(epochs.stream().mapToLong(epoch -> (Long) epoch.get("inferences")).sum()).isEqualTo(count + 1);
        Map<String, Object> late = inferences.stream().filter(row -> row.get("inference_id").equals("fixture-late"))
                .findFirst().orElseThrow();
        assertThat(late.get("late")).isEqualTo(true);
        long ownEpoch = Math.floorDiv(((java.time.Instant) late.get("served_at")).toEpochMilli(), StreamFixture.EPOCH_MS);
        assertThat((Long) late.get("epoch")).isGreaterThan(ownEpoch);

        Map<String, List<String>> before = fixture.tables();
        AttributionJob.prepare(settings).runEmbedded(AttributionJob.Mode.UNTIL_END);
        assertThat(fixture.tables()).isEqualTo(before);
    }
}
