package io.tributary.serving.keys;

import io.tributary.core.crypto.Address;
import java.time.Instant;

/**
 * A stored API key: never the key itself, only its SHA-256, the short id inference records cite, and the
 * account that pays for its requests.
 */
public record ApiKey(String keyId, String sha256, Address account, String name, Instant createdAt, boolean revoked) {}
