package io.tributary.serving.log;

import io.tributary.core.hash.Hashing;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic inference ids: {@code <server id>-<start millis>-<sequence>}. The server id is configured or derived
 * from host, port and start time; the start time keeps ids unique across restarts of a server with a fixed id.
 * Nothing is random, so an id says which server and run produced the record and in what order.
 */
public final class InferenceIds {
    private final String serverId;
    private final long startMillis;
    private final AtomicLong sequence = new AtomicLong();

    public InferenceIds(String serverId, long startMillis) {
        this.serverId = serverId;
        this.startMillis = startMillis;
    }

    /** A server id from where and when the server runs: 12 hex digits of a hash, prefixed "s". */
    public static String derivedServerId(String host, int port, long startMillis) {
        return "s" + Hashing.sha256Hex("tributary-server\u0000" + host + "\u0000" + port + "\u0000" + startMillis).substring(0, 12);
    }

    public String serverId() {
        return serverId;
    }

    public String next() {
        return serverId + "-" + startMillis + "-" + sequence.incrementAndGet();
    }
}
