package io.tributary.attribution.source;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time is {@code served_at}. The watermark is emitted after every record (not on a timer) as the largest
 * time seen minus the out-of-orderness, so which records count as late depends only on the order of the log,
 * never on wall-clock timing: an interrupted run and an uninterrupted one mark the same records late.
 */
public final class ServedAtWatermarks implements WatermarkGenerator<LogLine> {
    private static final byte[] FIELD = "\"served_at\":\"".getBytes(StandardCharsets.US_ASCII);
    private final long outOfOrdernessMs;
    private long maxSeen = Long.MIN_VALUE;

    ServedAtWatermarks(long outOfOrdernessMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
    }

    public static WatermarkStrategy<LogLine> strategy(long outOfOrdernessMs) {
        return WatermarkStrategy.<LogLine>forGenerator(context -> new ServedAtWatermarks(outOfOrdernessMs))
                .withTimestampAssigner((SerializableTimestampAssigner<LogLine>) (line, previous) -> servedAtMillis(line.raw));
    }

    @Override
    public void onEvent(LogLine line, long timestamp, WatermarkOutput output) {
        if (timestamp != Long.MIN_VALUE && timestamp > maxSeen) {
            maxSeen = timestamp;
            output.emitWatermark(new Watermark(maxSeen - outOfOrdernessMs - 1));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // Watermarks are emitted per event only.
    }

    /**
     * {@code served_at} of a raw line as the writer formats it, found without parsing the JSON (the validator
     * parses it once, later); {@link Long#MIN_VALUE} when absent or malformed, which never moves the watermark.
     */
    public static long servedAtMillis(byte[] raw) {
        int at = indexOf(raw, FIELD);
        if (at < 0 || at + FIELD.length + 24 > raw.length) {
            return Long.MIN_VALUE;
        }
        try {
            return Instant.parse(new String(raw, at + FIELD.length, 24, StandardCharsets.US_ASCII)).toEpochMilli();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
