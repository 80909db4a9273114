package io.tributary.serving.log;

/** A record could not be made durable; its request is answered with an error and not billed. */
public final class LogWriteException extends RuntimeException {
    public LogWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
