package io.samsa.metadata;

import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;

/**
 * The message {@code applyTransaction} returns to the submitter: one status byte, then for a refusal the error
 * name and the reason. {@code 0} applied, {@code 1} refused, {@code 2} refused but retriable (lost a race).
 * Stateless.
 */
final class ApplyReply {
    private static final byte APPLIED = 0;
    private static final byte REFUSED = 1;
    private static final byte RETRIABLE = 2;
    private static final Message APPLIED_MESSAGE = Message.valueOf(ByteString.copyFrom(new byte[] {APPLIED}));

    private ApplyReply() {
    }

    static Message encode(ApplyOutcome outcome) {
        return switch (outcome) {
            case ApplyOutcome.Applied ignored -> APPLIED_MESSAGE;
            case ApplyOutcome.Refused r -> {
                String text = r.error().name() + "\n" + r.message();
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                byte[] bytes = new byte[utf8.length + 1];
                bytes[0] = r.retriable() ? RETRIABLE : REFUSED;
                System.arraycopy(utf8, 0, bytes, 1, utf8.length);
                yield Message.valueOf(ByteString.copyFrom(bytes));
            }
        };
    }

    /** Null when the batch was applied, else the refusal. */
    static ApplyOutcome.Refused decode(Message message) {
        ByteString content = message.getContent();
        if (content.isEmpty()) {
            return new ApplyOutcome.Refused(ControllerException.Error.UNKNOWN_SERVER_ERROR, "Empty apply reply",
                    false);
        }
        byte status = content.byteAt(0);
        if (status == APPLIED) {
            return null;
        }
        String text = content.substring(1).toStringUtf8();
        int newline = text.indexOf('\n');
        ControllerException.Error error;
        try {
            error = ControllerException.Error.valueOf(text.substring(0, Math.max(newline, 0)));
        } catch (IllegalArgumentException e) {
            error = ControllerException.Error.UNKNOWN_SERVER_ERROR;
        }
        return new ApplyOutcome.Refused(error, text.substring(newline + 1), status == RETRIABLE);
    }
}
