package io.samsa.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;

/** Turns exceptions into the one line shown to the user. Pure functions. */
final class Errors {
    private Errors() {
    }

    /** The exception that carries the meaning: wrappers (futures, reflection, client construction) removed. */
    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current.getCause() != current && isWrapper(current)) {
            current = current.getCause();
        }
        return current;
    }

    /** One line: the message of the unwrapped exception, or its type when it has none. */
    static String message(Throwable t) {
        Throwable cause = unwrap(t);
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            message = cause.getClass().getSimpleName();
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static boolean isWrapper(Throwable t) {
        if (t instanceof ExecutionException
                || t instanceof CompletionException
                || t instanceof InvocationTargetException
                || t instanceof UndeclaredThrowableException) {
            return true;
        }
        // "Failed to construct kafka producer" / "Failed to create new KafkaAdminClient": the cause says why.
        return t.getClass() == KafkaException.class
                && t.getMessage() != null
                && (t.getMessage().startsWith("Failed to construct") || t.getMessage().startsWith("Failed to create"));
    }
}
