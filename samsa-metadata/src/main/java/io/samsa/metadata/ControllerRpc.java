package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Requests that only the active controller may decide and that are not log entries by themselves: broker
 * registration (the duplicate check needs the leader's sessions), heartbeats (never logged) and AlterPartition
 * (judged against the leader's image, not a lagging local one). A node that is not
 * the ready leader sends them through Ratis' read-only path ({@code sendReadOnly}), which reaches the leader's
 * {@code StateMachine.query}; the leader decides, appends whatever records follow, and answers.
 *
 * <pre>
 * request  := kind:int8 (1 register, 2 heartbeat, 3 alterPartition, 4 fetch) fields
 * fetch    := nodeId:int32 afterIndex:int64 waitMs:int32                 (reply: see MetadataFeed)
 * register := nodeId:int32 incarnation:uuid rack:string endpoints:int32 (listener:string host:string port:int32)*
 * heartbeat:= nodeId:int32 brokerEpoch:int64 appliedOffset:int64 wantShutDown:bool
 * alter    := leaderId:int32 brokerEpoch:int64 topicId:uuid partition:int32 leaderEpoch:int32 partitionEpoch:int32
 *             isr:count:int32 (brokerId:int32 brokerEpoch:int64)*
 * reply    := 0 value:int64 | 1 errorName:string message:string | 2 partition:int32 replicas:ints isr:ints
 *             leader:int32 leaderEpoch:int32 partitionEpoch:int32 adding:ints removing:ints
 *             (heartbeat value: bit 0 fenced, bit 1 shutdown; ints := count:int32 int32*)
 * </pre>
 *
 * Strings are {@link DataOutputStream#writeUTF} with a leading presence flag. Stateless.
 */
final class ControllerRpc {
    static final byte REGISTER = 1;
    static final byte HEARTBEAT = 2;
    static final byte ALTER_PARTITION = 3;
    static final byte FETCH = 4;

    /** A decoded request. */
    sealed interface Request {
    }

    record Register(int nodeId, UUID incarnationId, List<BrokerRegistration.Endpoint> endpoints, String rack)
            implements Request {
    }

    record Heartbeat(int nodeId, long brokerEpoch, long appliedOffset, boolean wantShutDown) implements Request {
    }

    /** Broker-only node {@code nodeId} asks for the entries applied after {@code afterIndex} (wait up to waitMs). */
    record Fetch(int nodeId, long afterIndex, int waitMs) implements Request {
    }

    record AlterPartition(int leaderId, long brokerEpoch, UUID topicId, int partition, int leaderEpoch,
                          int partitionEpoch, List<IsrMember> newIsr) implements Request {
    }

    private ControllerRpc() {
    }

    static Message encode(Request request) {
        return message(out -> {
            switch (request) {
                case Register r -> {
                    out.writeByte(REGISTER);
                    out.writeInt(r.nodeId());
                    out.writeLong(r.incarnationId().getMostSignificantBits());
                    out.writeLong(r.incarnationId().getLeastSignificantBits());
                    writeString(out, r.rack());
                    out.writeInt(r.endpoints().size());
                    for (BrokerRegistration.Endpoint e : r.endpoints()) {
                        writeString(out, e.listener());
                        writeString(out, e.host());
                        out.writeInt(e.port());
                    }
                }
                case Heartbeat h -> {
                    out.writeByte(HEARTBEAT);
                    out.writeInt(h.nodeId());
                    out.writeLong(h.brokerEpoch());
                    out.writeLong(h.appliedOffset());
                    out.writeBoolean(h.wantShutDown());
                }
                case Fetch f -> {
                    out.writeByte(FETCH);
                    out.writeInt(f.nodeId());
                    out.writeLong(f.afterIndex());
                    out.writeInt(f.waitMs());
                }
                case AlterPartition a -> {
                    out.writeByte(ALTER_PARTITION);
                    out.writeInt(a.leaderId());
                    out.writeLong(a.brokerEpoch());
                    out.writeLong(a.topicId().getMostSignificantBits());
                    out.writeLong(a.topicId().getLeastSignificantBits());
                    out.writeInt(a.partition());
                    out.writeInt(a.leaderEpoch());
                    out.writeInt(a.partitionEpoch());
                    out.writeInt(a.newIsr().size());
                    for (IsrMember m : a.newIsr()) {
                        out.writeInt(m.brokerId());
                        out.writeLong(m.brokerEpoch());
                    }
                }
            }
        });
    }

    static Request decode(Message message) throws IOException {
        var in = new DataInputStream(new ByteArrayInputStream(message.getContent().toByteArray()));
        byte kind = in.readByte();
        return switch (kind) {
            case REGISTER -> {
                int nodeId = in.readInt();
                UUID incarnation = new UUID(in.readLong(), in.readLong());
                String rack = readString(in);
                int n = in.readInt();
                var endpoints = new ArrayList<BrokerRegistration.Endpoint>();
                for (int i = 0; i < n; i++) {
                    endpoints.add(new BrokerRegistration.Endpoint(readString(in), readString(in), in.readInt()));
                }
                yield new Register(nodeId, incarnation, List.copyOf(endpoints), rack);
            }
            case HEARTBEAT -> new Heartbeat(in.readInt(), in.readLong(), in.readLong(), in.readBoolean());
            case FETCH -> new Fetch(in.readInt(), in.readLong(), in.readInt());
            case ALTER_PARTITION -> new AlterPartition(in.readInt(), in.readLong(), new UUID(in.readLong(),
                    in.readLong()), in.readInt(), in.readInt(), in.readInt(), readIsr(in));
            default -> throw new IOException("Unknown controller request kind " + kind);
        };
    }

    /**
     * Sends {@code request} to the leader's state machine through Ratis' read-only path (never logged); fails with
     * a {@link ControllerException} (NOT_CONTROLLER, REQUEST_TIMED_OUT, ...) when no leader answers in time.
     *
     * <p>Unordered and, when this node knows the leader ({@code target}), addressed to it: controller requests are
     * independent of each other, and an ordered request window would queue a heartbeat behind one still waiting on
     * a former leader that became unreachable (cut off by the network), long enough for the new controller to fence
     * every broker. Without a target, Ratis finds the leader itself.
     */
    static CompletableFuture<Message> send(ForwardingClient client, Request request, Duration timeout,
                                           Optional<RaftPeerId> target) {
        return client.call(c -> target.isPresent()
                        ? c.async().sendReadOnlyUnordered(encode(request), target.get())
                        : c.async().sendReadOnlyUnordered(encode(request)))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(reply -> {
                    if (!reply.isSuccess()) {
                        throw QuorumWriter.toControllerException(reply.getException());
                    }
                    return reply.getMessage();
                })
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(
                        QuorumWriter.toControllerException(error)));
    }

    static Message value(long value) {
        return message(out -> {
            out.writeByte(0);
            out.writeLong(value);
        });
    }

    static Message partition(PartitionImage p) {
        return message(out -> {
            out.writeByte(2);
            out.writeInt(p.partition());
            writeInts(out, p.replicas());
            writeInts(out, p.isr());
            out.writeInt(p.leader());
            out.writeInt(p.leaderEpoch());
            out.writeInt(p.partitionEpoch());
            writeInts(out, p.addingReplicas());
            writeInts(out, p.removingReplicas());
        });
    }

    /** The partition of a reply made by {@link #partition}, or the {@link ControllerException} it carries. */
    static PartitionImage decodePartitionReply(Message message) {
        var in = new DataInputStream(new ByteArrayInputStream(message.getContent().toByteArray()));
        try {
            if (in.readByte() == 2) {
                return new PartitionImage(in.readInt(), readInts(in), readInts(in), in.readInt(), in.readInt(),
                        in.readInt(), readInts(in), readInts(in));
            }
        } catch (IOException e) {
            throw new ControllerException(Error.UNKNOWN_SERVER_ERROR, "Unreadable controller reply: " + e);
        }
        decodeReply(message);
        throw new ControllerException(Error.UNKNOWN_SERVER_ERROR, "Unexpected controller reply");
    }

    static Message error(ControllerException e) {
        return message(out -> {
            out.writeByte(1);
            writeString(out, e.error().name());
            writeString(out, e.getMessage());
        });
    }

    /** The value of a reply, or the {@link ControllerException} it carries. */
    static long decodeReply(Message message) {
        var in = new DataInputStream(new ByteArrayInputStream(message.getContent().toByteArray()));
        try {
            if (in.readByte() == 0) {
                return in.readLong();
            }
            String name = readString(in);
            String text = readString(in);
            Error error;
            try {
                error = Error.valueOf(name);
            } catch (IllegalArgumentException | NullPointerException e) {
                error = Error.UNKNOWN_SERVER_ERROR;
            }
            throw new ControllerException(error, text);
        } catch (IOException e) {
            throw new ControllerException(Error.UNKNOWN_SERVER_ERROR, "Unreadable controller reply: " + e);
        }
    }

    static long encodeHeartbeat(HeartbeatResult result) {
        return (result.fenced() ? 1 : 0) | (result.shouldShutDown() ? 2 : 0);
    }

    static HeartbeatResult decodeHeartbeat(long value) {
        return new HeartbeatResult((value & 1) != 0, (value & 2) != 0);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static Message message(Writer writer) {
        var bytes = new ByteArrayOutputStream(64);
        try (var out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Message.valueOf(ByteString.copyFrom(bytes.toByteArray()));
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static void writeInts(DataOutputStream out, List<Integer> ints) throws IOException {
        out.writeInt(ints.size());
        for (int i : ints) {
            out.writeInt(i);
        }
    }

    private static List<IsrMember> readIsr(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 12) {
            throw new IOException("Bad ISR length " + n);
        }
        var members = new ArrayList<IsrMember>(n);
        for (int i = 0; i < n; i++) {
            members.add(new IsrMember(in.readInt(), in.readLong()));
        }
        return List.copyOf(members);
    }

    private static List<Integer> readInts(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 4) {
            throw new IOException("Bad list length " + n);
        }
        var ints = new ArrayList<Integer>(n);
        for (int i = 0; i < n; i++) {
            ints.add(in.readInt());
        }
        return List.copyOf(ints);
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
