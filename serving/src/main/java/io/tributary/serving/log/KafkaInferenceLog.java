package io.tributary.serving.log;

import io.tributary.core.inference.InferenceRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The cluster sink of the inference log: each record's canonical JSON line is one message of the topic, keyed by
 * its inference id (so a consumer can drop a duplicate by key), sent by an idempotent producer with
 * {@code acks=all}; {@link #append} waits for the acknowledgement.
 */
public final class KafkaInferenceLog implements InferenceLog {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String bootstrapServers;

    public KafkaInferenceLog(String bootstrapServers, String topic, String serverId, Map<String, String> extra) {
        Properties properties = new Properties();
        properties.putAll(extra);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "tributary-serving-" + serverId);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(properties);
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public void append(InferenceRecord record) {
        byte[] value = record.toJsonLine().getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic, record.inferenceId(), value)).get(40, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LogWriteException("Kafka did not accept inference " + record.inferenceId() + " on topic " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new LogWriteException("Kafka did not acknowledge inference " + record.inferenceId() + " within 40 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogWriteException("interrupted while sending to Kafka", e);
        } catch (RuntimeException e) {
            throw new LogWriteException("cannot send inference " + record.inferenceId() + " to Kafka: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "Kafka topic " + topic + " at " + bootstrapServers.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }
}
