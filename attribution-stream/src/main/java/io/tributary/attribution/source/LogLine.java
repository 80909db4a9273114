package io.tributary.attribution.source;

/**
 * One line of the inference log as read, before validation: where it came from ({@code <file>:<line>} or
 * {@code <topic>/<partition>@<offset>}) and its raw bytes. A Flink POJO (public fields, no-argument constructor).
 */
public class LogLine {
    public String source;
    public byte[] raw;

    public LogLine() {}

    public LogLine(String source, byte[] raw) {
        this.source = source;
        this.raw = raw;
    }
}
