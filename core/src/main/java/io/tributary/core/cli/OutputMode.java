package io.tributary.core.cli;

/** How a command reports its result: text for people, or one JSON document for programs. */
public enum OutputMode {
    HUMAN,
    JSON
}
