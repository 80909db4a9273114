package io.tributary.attribution.source;

import io.tributary.attribution.AttributionSettings;
import io.tributary.core.cli.UserError;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The cluster profile's source: the inference-log topic that serving's Kafka sink produces to (key = inference id).
 * Records are read raw, with {@code topic/partition@offset} as their source. A new run starts from the earliest
 * offset (what earlier runs paid is skipped by id); a restored run continues from its checkpointed offsets.
 */
public final class KafkaLogSource {
    private KafkaLogSource() {}

    /** {@code bounded}: stop at the offsets that are the latest when the job starts (--until-end). */
    public static KafkaSource<LogLine> create(AttributionSettings settings, boolean bounded) {
        if (settings.kafkaBootstrapServers().isBlank()) {
            throw new UserError("tributary.attribution.kafka.bootstrap-servers is empty; the Kafka source needs the brokers");
        }
        KafkaSourceBuilder<LogLine> builder = KafkaSource.<LogLine>builder()
                .setBootstrapServers(settings.kafkaBootstrapServers())
                .setTopics(settings.kafkaTopic())
                .setGroupId(settings.kafkaGroupId())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawLines());
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** A record's value as a log line, never failing: validation happens downstream and rejects with a reason. */
    static final class RawLines implements KafkaRecordDeserializationSchema<LogLine> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<LogLine> out) {
            out.collect(new LogLine(record.topic() + "/" + record.partition() + "@" + record.offset(),
                    record.value() == null ? new byte[0] : record.value()));
        }

        @Override
        public TypeInformation<LogLine> getProducedType() {
            return TypeInformation.of(LogLine.class);
        }
    }
}
