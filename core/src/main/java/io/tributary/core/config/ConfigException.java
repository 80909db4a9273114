package io.tributary.core.config;

import io.tributary.core.cli.UserError;

/** A configuration problem; the message names the offending key and the file it came from. */
public class ConfigException extends UserError {
    private final String key;

    public ConfigException(String key, String message) {
        super("configuration key '" + key + "': " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
