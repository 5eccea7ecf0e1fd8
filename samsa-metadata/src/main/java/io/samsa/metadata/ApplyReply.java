package io.samsa.metadata;

import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;

/**
 * The message {@code applyTransaction} returns to the submitter: one status byte, then the log index (int64) for an
 * applied batch, or the error name and the reason for a refusal. {@code 0} applied, {@code 1} refused, {@code 2}
 * refused but retriable (lost a race). Stateless.
 */
final class ApplyReply {
    private static final byte APPLIED = 0;
    private static final byte REFUSED = 1;
    private static final byte RETRIABLE = 2;

    private ApplyReply() {
    }

    static Message encode(ApplyOutcome outcome) {
        return switch (outcome) {
            case ApplyOutcome.Applied applied -> {
                long index = applied.image().appliedIndex();
                byte[] bytes = new byte[9];
                bytes[0] = APPLIED;
                for (int i = 0; i < 8; i++) {
                    bytes[1 + i] = (byte) (index >>> (56 - 8 * i));
                }
                yield Message.valueOf(ByteString.copyFrom(bytes));
            }
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

    /** The log index an applied batch committed at (carried by the reply), -1 when the reply does not say. */
    static long appliedIndex(Message message) {
        ByteString content = message.getContent();
        if (content.size() < 9 || content.byteAt(0) != APPLIED) {
            return -1;
        }
        long index = 0;
        for (int i = 1; i < 9; i++) {
            index = (index << 8) | (content.byteAt(i) & 0xFF);
        }
        return index;
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
