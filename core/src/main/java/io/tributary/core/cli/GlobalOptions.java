package io.tributary.core.cli;

import io.tributary.core.config.TributaryConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command takes: {@code --conf}, {@code --lake} and {@code --json}. Mix into each command. */
public final class GlobalOptions {
    @Option(names = "--conf", paramLabel = "FILE",
            description = "Configuration profile (default: conf/local.conf under TRIBUTARY_HOME).")
    private Path conf;

    @Option(names = "--lake", paramLabel = "URI",
            description = "Lake root: a local path, file://... or hdfs://...; overrides the profile.")
    private String lake;

    @Option(names = "--json", description = "Print one JSON document on stdout; logs go to stderr.")
    private boolean json;

    private TributaryConfig loaded;

    public TributaryConfig config() {
        if (loaded == null) {
            loaded = TributaryConfig.load(conf, lake);
        }
        return loaded;
    }

    public OutputMode outputMode() {
        return json ? OutputMode.JSON : OutputMode.HUMAN;
    }
}
