package io.tributary.indexing;

import picocli.CommandLine.Command;

/** {@code tributary index}: build a Datanet's suffix-array index, and count or trace text against it. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Build a Datanet's suffix-array index; count and trace text against it.")
public final class IndexCommand {
}
