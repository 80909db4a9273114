package io.tributary.serving.log;

import io.tributary.core.inference.InferenceRecord;

/**
 * Where billed inferences go: exactly one record per billed request. {@link #append} returns only once the record
 * is durable (fsync'd to the file, or acknowledged by every in-sync Kafka replica), so a response is never sent for
 * an inference the log could lose.
 */
public sealed interface InferenceLog extends AutoCloseable permits FileInferenceLog, KafkaInferenceLog {

    /** Writes the record durably; throws {@link LogWriteException} when it cannot (the request is then not billed). */
    void append(InferenceRecord record);

    /** Where records go, for start-up messages (no credentials). */
    String describe();

    /** Flushes and completes what was written (the file sink renames its open file visible). */
    @Override
    void close();
}
