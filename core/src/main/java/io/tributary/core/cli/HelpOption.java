package io.tributary.core.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} alone, for commands whose {@code --version} option pins a Datanet version: picocli's standard
 * help mixin also claims {@code --version} (the program's version), and with both on one command {@code --help}
 * stopped working. Mix this in and leave {@code mixinStandardHelpOptions} off.
 */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;
}
