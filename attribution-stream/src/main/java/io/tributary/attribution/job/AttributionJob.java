package io.tributary.attribution.job;

import io.tributary.attribution.AttributionSettings;
import io.tributary.attribution.sink.DeltaCommitSink;
import io.tributary.attribution.sink.StagedRow;
import io.tributary.attribution.source.InferenceLogFormat;
import io.tributary.attribution.source.KafkaLogSource;
import io.tributary.attribution.source.LogLine;
import io.tributary.attribution.source.OrderedSplitAssigner;
import io.tributary.attribution.source.ServedAtWatermarks;
import io.tributary.core.inference.InferenceLogFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds and runs the attribution job: the inference log (files; Kafka in the cluster profile) -> watermarks on
 * {@code served_at} -> {@link EpochProcessor} -> {@link DeltaCommitSink}. Checkpoints are retained under
 * {@code <lake>/_attribution/checkpoints/<run>/}; a start resumes the run of the newest retained checkpoint, or
 * begins a new run when there is none (a finished run leaves none: its work is in the tables).
 */
public final class AttributionJob {
    /** How the log is read: to its current end, then every epoch is closed; or continuously. */
    public enum Mode { UNTIL_END, FOLLOW }

    private final AttributionSettings settings;
    private final String runId;
    private final Optional<String> resumeFrom;

    private AttributionJob(AttributionSettings settings, String runId, Optional<String> resumeFrom) {
        this.settings = settings;
        this.runId = runId;
        this.resumeFrom = resumeFrom;
    }

    /** The job for these settings: resuming the newest retained checkpoint, else a new run. */
    public static AttributionJob prepare(AttributionSettings settings) {
        Optional<Path> latest = latestCheckpoint(new Path(checkpointRoot(settings)));
        if (latest.isPresent()) {
            // <root>/<run>/<job id>/chk-N
            String run = latest.get().getParent().getParent().getName();
            return new AttributionJob(settings, run, Optional.of(latest.get().toString()));
        }
        return new AttributionJob(settings, "run-" + System.currentTimeMillis(), Optional.empty());
    }

    public String runId() {
        return runId;
    }

    public Optional<String> resumeFrom() {
        return resumeFrom;
    }

    static String checkpointRoot(AttributionSettings settings) {
        return settings.workDirectory() + "/checkpoints";
    }

    /** The Flink configuration of this run: checkpoints retained under the lake, restore path when resuming. */
    public Configuration configuration() {
        Configuration configuration = new Configuration();
        configuration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointRoot(settings) + "/" + runId);
        configuration.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        configuration.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(settings.checkpointIntervalMs()));
        resumeFrom.ifPresent(path -> configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        // Input never fails the job (bad records are rejected rows); a failure is the lake or a bug: retry a few
        // times from the last checkpoint, then stop with the error instead of looping forever.
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        return configuration;
    }

    /** Adds the job to {@code env} (the embedded MiniCluster's, or a cluster's under {@code flink run}). */
    public void build(StreamExecutionEnvironment env, Mode mode) {
        env.setParallelism(settings.parallelism());
        DataStreamSource<LogLine> lines = switch (settings.source()) {
            case "files" -> env.fromSource(fileSource(mode), ServedAtWatermarks.strategy(settings.outOfOrdernessMs()),
                    "inference-log");
            case "kafka" -> env.fromSource(KafkaLogSource.create(settings, mode == Mode.UNTIL_END),
                    ServedAtWatermarks.strategy(settings.outOfOrdernessMs()), "inference-topic");
            default -> throw new IllegalStateException(settings.source());
        };
        lines.setParallelism(1)
                .keyBy((KeySelector<LogLine, Integer>) line -> 0, Types.INT)
                .process(new EpochProcessor(settings), TypeInformation.of(StagedRow.class))
                .setParallelism(1)
                .name("attribute")
                .sinkTo(new DeltaCommitSink(settings.lakeRoot(), settings.hadoop(), runId,
                        settings.workDirectory() + "/staging"))
                .setParallelism(1)
                .name("delta");
    }

    private FileSource<LogLine> fileSource(Mode mode) {
        Path directory = new Path(InferenceLogFiles.directory(settings.lakeRoot()));
        try {
            directory.getFileSystem().mkdirs(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        FileSource.FileSourceBuilder<LogLine> builder = FileSource.forBulkFileFormat(new InferenceLogFormat(), directory)
                .setSplitAssigner(OrderedSplitAssigner.provider());
        if (mode == Mode.FOLLOW) {
            builder.monitorContinuously(Duration.ofMillis(settings.monitorIntervalMs()));
        }
        return builder.build();
    }

    /** Runs on an embedded MiniCluster in this JVM and waits for the end (forever under FOLLOW). */
    public void runEmbedded(Mode mode) throws Exception {
        execute(mode);
    }

    /**
     * Runs on the environment the caller is in: an embedded MiniCluster in a plain JVM; the cluster's under
     * {@code flink run} or a REST submission (then, detached, it returns once the job is submitted).
     */
    public void execute(Mode mode) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration());
        build(env, mode);
        env.execute("tributary-attribution-" + runId);
    }

    /** Starts on an embedded MiniCluster and returns the running job (tests, --follow with a handle). */
    public JobClient startEmbedded(Mode mode) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration());
        build(env, mode);
        return env.executeAsync("tributary-attribution-" + runId);
    }

    /** The newest {@code chk-N} directory holding a {@code _metadata} file, across runs and jobs. */
    static Optional<Path> latestCheckpoint(Path root) {
        try {
            FileSystem fs = root.getFileSystem();
            if (!fs.exists(root)) {
                return Optional.empty();
            }
            Path best = null;
            long bestTime = Long.MIN_VALUE;
            for (FileStatus run : list(fs, root)) {
                for (FileStatus job : list(fs, run.getPath())) {
                    for (FileStatus checkpoint : list(fs, job.getPath())) {
                        if (!checkpoint.getPath().getName().startsWith("chk-")) {
                            continue;
                        }
                        Path metadata = new Path(checkpoint.getPath(), "_metadata");
                        if (fs.exists(metadata)) {
                            long time = fs.getFileStatus(metadata).getModificationTime();
                            if (time > bestTime) {
                                bestTime = time;
                                best = checkpoint.getPath();
                            }
                        }
                    }
                }
            }
            return Optional.ofNullable(best);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints under " + root, e);
        }
    }

    private static FileStatus[] list(FileSystem fs, Path directory) throws IOException {
        FileStatus[] statuses = fs.listStatus(directory);
        if (statuses == null) {
            return new FileStatus[0];
        }
        return java.util.Arrays.stream(statuses).filter(FileStatus::isDir).toArray(FileStatus[]::new);
    }
}
