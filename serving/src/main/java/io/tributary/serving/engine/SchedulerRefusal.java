package io.tributary.serving.engine;

/** The scheduler would not take a request: its queue is full (429) or it is shutting down (503). */
public final class SchedulerRefusal extends RuntimeException {
    /** Why a request was refused. */
    public enum Reason { QUEUE_FULL, SHUTTING_DOWN }

    private final Reason reason;

    public SchedulerRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
