package io.tributary.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.attribution.job.AttributionJob;
import io.tributary.core.lake.LakeTable;
import io.tributary.testing.kafka.EmbeddedKafka;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster source: the inference-log topic on a real in-JVM KRaft broker, read to its end, twice. */
class KafkaSourceTest {
    private static final String TOPIC = "tributary-inferences";

    @TempDir
    Path directory;

    @Test
    void attributesTheTopicAndASecondRunAddsNothing() throws Exception {
        StreamFixture fixture = new StreamFixture(directory);
        fixture.writeLake();
        int count = 60;
        List<String> lines = fixture.logLines(count);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic(TOPIC, 2);
            StreamFixture.produce(kafka.bootstrapServers(), TOPIC, lines);
            AttributionSettings settings = fixture.settings(200).withKafka(kafka.bootstrapServers(), TOPIC);

            AttributionJob.prepare(settings).runEmbedded(AttributionJob.Mode.UNTIL_END);

            List<Map<String, Object>> inferences = fixture.rows(LakeTable.INFERENCES);
            assertThat(inferences).hasSize(count + 1);
            assertThat(fixture.rows(LakeTable.REJECTED_INFERENCES)).extracting(row -> row.get("reason"))
                    .containsExactlyInAnyOrder("unparsable_json", "unknown_adapter", "bad_fee");
            assertThat(fixture.rows(LakeTable.REJECTED_INFERENCES)).allSatisfy(row ->
                    assertThat((String) row.get("source")).matches(TOPIC + "/[01]@\\d+"));
            Map<String, BigInteger> paid = new HashMap<>();
            for (Map<String, Object> row : fixture.rows(LakeTable.ATTRIBUTIONS)) {
                paid.merge((String) row.get("inference_id"), new BigInteger((String) row.get("wei")), BigInteger::add);
            }
            for (Map<String, Object> inference : inferences) {
                assertThat(paid.get(inference.get("inference_id"))).isEqualTo(new BigInteger((String) inference.get("fee_wei")));
            }
            Map<String, List<String>> before = fixture.tables();
            AttributionJob.prepare(settings).runEmbedded(AttributionJob.Mode.UNTIL_END);
            assertThat(fixture.tables()).isEqualTo(before);
        }
    }
}
