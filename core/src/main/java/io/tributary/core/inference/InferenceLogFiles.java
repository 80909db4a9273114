package io.tributary.core.inference;

import java.util.regex.Pattern;

/**
 * Where and how the default (file) inference log lives: rolling JSON Lines files under
 * {@code <lake>/inference-log/}. A file is written under a hidden name (leading '.', which Flink's file source
 * and Hadoop's input formats skip) and renamed to its visible name only when complete, so a watcher never reads
 * a partial file. Visible names sort in write order per server.
 */
public final class InferenceLogFiles {
    /** The log's directory under the lake root. */
    public static final String DIRECTORY = "inference-log";
    /** Extension of complete files. */
    public static final String EXTENSION = ".jsonl";
    /** Prefix of a file still being written. */
    public static final String IN_PROGRESS_PREFIX = ".";
    /** Visible file names: {@code inferences-<server id>-<20-digit sequence>.jsonl}. */
    public static final Pattern COMPLETE = Pattern.compile("inferences-[a-z0-9-]{1,64}-\\d{20}\\.jsonl");

    private InferenceLogFiles() {}

    public static String directory(String lakeRoot) {
        return lakeRoot.replaceAll("/$", "") + "/" + DIRECTORY;
    }

    /** The visible name of a server's {@code sequence}-th file. */
    public static String completeName(String serverId, long sequence) {
        String name = "inferences-" + serverId + "-" + String.format("%020d", sequence) + EXTENSION;
        if (!COMPLETE.matcher(name).matches()) {
            throw new IllegalArgumentException("server id '" + serverId + "' must be 1 to 64 of a-z, 0-9 and '-'");
        }
        return name;
    }

    /** The hidden name the same file has while it is written. */
    public static String inProgressName(String serverId, long sequence) {
        return IN_PROGRESS_PREFIX + completeName(serverId, sequence) + ".inprogress";
    }
}
