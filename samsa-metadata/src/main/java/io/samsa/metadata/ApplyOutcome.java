package io.samsa.metadata;

/**
 * What applying one batch of records did: either the whole batch went in ({@link Applied}) or none of it did
 * ({@link Refused}). A refusal is a normal, replicated outcome (every replica refuses the same batch), not a failure
 * of the state machine.
 */
sealed interface ApplyOutcome {

    /** The batch was applied; {@code image} is the new image. */
    record Applied(ClusterImage image) implements ApplyOutcome {
    }

    /**
     * The batch was refused and the image is unchanged.
     *
     * @param retriable true when the batch lost a race with another committed batch (a broker epoch or producer id
     *                  range was taken meanwhile): the controller re-plans against the new image and submits again
     */
    record Refused(ControllerException.Error error, String message, boolean retriable) implements ApplyOutcome {
        static Refused conflict(String message) {
            return new Refused(ControllerException.Error.UNKNOWN_SERVER_ERROR, message, true);
        }

        ControllerException toException() {
            return new ControllerException(error, message);
        }
    }
}
