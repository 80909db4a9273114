package io.tributary.serving.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.Json;
import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API keystore: a JSON file (mode 600, outside {@code conf/}) holding the SHA-256 of each key, never a key.
 * Keys are 256 random bits, so a plain SHA-256 cannot be reversed by guessing. The server re-reads the file when
 * it changes, so a key created while it runs works at once and a revoked one stops working.
 */
public final class ApiKeyStore {
    /** Prefix of every key, so a leaked one is recognizable in a scan. */
    public static final String KEY_PREFIX = "trib-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private volatile Loaded loaded = new Loaded(null, Map.of());
    private volatile long checkedAt;

    private record Loaded(FileTime modified, Map<String, ApiKey> bySha256) {}

    /** A key just created: the secret, shown once, and what the store keeps of it. */
    public record Created(String secret, ApiKey key) {}

    public ApiKeyStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** SHA-256 hex of a key's UTF-8 bytes: what the store keeps. */
    public static String sha256(String secret) {
        return Hashing.sha256Hex(secret);
    }

    /** The short id of a key (16 hex digits of its hash): what logs and inference records cite. */
    public static String keyId(String sha256) {
        return sha256.substring(0, 16);
    }

    /** Creates a key for {@code account}, stores its hash, and returns the key (the only time it is seen). */
    public synchronized Created create(Address account, String name) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String hash = sha256(secret);
        ApiKey key = new ApiKey(keyId(hash), hash, account, name == null ? "" : name, Instant.now().truncatedTo(ChronoUnit.MILLIS), false);
        List<ApiKey> keys = new ArrayList<>(read().values());
        keys.add(key);
        write(keys);
        return new Created(secret, key);
    }

    /** Marks the key with id {@code keyId} revoked; false when there is no such key. */
    public synchronized boolean revoke(String keyId) {
        List<ApiKey> keys = new ArrayList<>();
        boolean found = false;
        for (ApiKey key : read().values()) {
            if (key.keyId().equals(keyId) && !key.revoked()) {
                key = new ApiKey(key.keyId(), key.sha256(), key.account(), key.name(), key.createdAt(), true);
                found = true;
            }
            keys.add(key);
        }
        if (found) {
            write(keys);
        }
        return found;
    }

    /** Every stored key, oldest first. */
    public List<ApiKey> list() {
        return read().values().stream().sorted(java.util.Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::keyId)).toList();
    }

    /** The live key a bearer token is, re-reading the file at most once a second when it changed. */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || !secret.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        if (loaded.modified() == null || now - checkedAt > 1_000_000_000L) {
            checkedAt = now;
            reloadIfChanged();
        }
        ApiKey key = loaded.bySha256().get(sha256(secret));
        return key == null || key.revoked() ? Optional.empty() : Optional.of(key);
    }

    private synchronized void reloadIfChanged() {
        try {
            FileTime modified = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
            if (!modified.equals(loaded.modified())) {
                loaded = new Loaded(modified, read());
            }
        } catch (IOException e) {
            throw new KeystoreException("cannot read the API keystore " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, ApiKey> read() {
        Map<String, ApiKey> keys = new java.util.LinkedHashMap<>();
        if (!Files.exists(file)) {
            return keys;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new KeystoreException("cannot parse the API keystore " + file + ": " + e.getMessage(), e);
        }
        for (JsonNode node : root.path("keys")) {
            String hash = node.path("sha256").asText();
            Optional<Address> account = Address.parse(node.path("account").asText());
            if (!hash.matches("[0-9a-f]{64}") || account.isEmpty()) {
                throw new KeystoreException("the API keystore " + file + " has an entry without a sha256 or a 0x account");
            }
            keys.put(hash, new ApiKey(keyId(hash), hash, account.get(), node.path("name").asText(""),
                    Instant.parse(node.path("created_at").asText()), node.path("revoked").asBoolean(false)));
        }
        return keys;
    }

    private void write(List<ApiKey> keys) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("note", "SHA-256 hashes of Tributary API keys; the keys themselves are never stored");
        ArrayNode array = root.putArray("keys");
        for (ApiKey key : keys) {
            ObjectNode node = array.addObject();
            node.put("key_id", key.keyId());
            node.put("sha256", key.sha256());
            node.put("account", key.account().value());
            node.put("name", key.name());
            node.put("created_at", key.createdAt().toString());
            node.put("revoked", key.revoked());
        }
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap((Json.write(root) + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new KeystoreException("cannot write the API keystore " + file + ": " + e.getMessage(), e);
        }
        Map<String, ApiKey> bySha = new HashMap<>();
        keys.forEach(key -> bySha.put(key.sha256(), key));
        try {
            loaded = new Loaded(Files.getLastModifiedTime(file), bySha);
        } catch (IOException e) {
            loaded = new Loaded(null, bySha);
        }
    }
}
