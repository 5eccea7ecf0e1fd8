package io.samsa.broker.handlers;

import io.samsa.metadata.ControllerException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/** Maps failures from storage, the controller and futures to Kafka error codes, in one place. */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    /** Strips {@link CompletionException}/{@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    public static Errors toError(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof ControllerException ce) {
            return Errors.valueOf(ce.error().name());
        }
        return Errors.forException(cause);
    }

    /** The message to return with the error code: the exception's own unless it is an internal failure. */
    public static String message(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof ApiException || cause instanceof ControllerException) {
            return cause.getMessage();
        }
        return toError(cause).message();
    }
}
