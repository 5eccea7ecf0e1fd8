package io.samsa.it;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A topic's partitions as <em>one</em> node sees them: a Metadata request (v12) on a fresh connection to that node
 * alone. Admin and consumers ask whichever broker they like, and a broker that was cut off answers from its own,
 * possibly stale, metadata; fault tests use this to wait until every node agrees before trusting any answer.
 * Stateless; every call opens and closes one connection (5 s connect and read timeouts).
 */
final class NodeMetadata {
    private static final short VERSION = 12;

    private NodeMetadata() {
    }

    /** One partition in one node's metadata; {@code leader} -1 when it knows none. */
    record View(int leader, int leaderEpoch, Set<Integer> isr) {
    }

    /** Partition number to view, as the node at {@code address} ({@code host:port}) answers for {@code topic}. */
    static Map<Integer, View> partitions(String address, String topic) throws Exception {
        MetadataRequest request = new MetadataRequest.Builder(List.of(topic), false).build(VERSION);
        RequestHeader header = new RequestHeader(request.apiKey(), VERSION, "node-metadata", 1);
        ByteBuffer bytes = request.serializeWithHeader(header);
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), 5_000);
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            MetadataResponse response = (MetadataResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(body),
                    header);
            Map<Integer, View> views = new TreeMap<>();
            for (MetadataResponse.TopicMetadata t : response.topicMetadata()) {
                if (t.error() != Errors.NONE) {
                    throw new IllegalStateException(address + " answers " + t.error() + " for " + topic);
                }
                for (MetadataResponse.PartitionMetadata p : t.partitionMetadata()) {
                    views.put(p.partition(), new View(p.leaderId.orElse(-1), p.leaderEpoch.orElse(-1),
                            Set.copyOf(p.inSyncReplicaIds)));
                }
            }
            return views;
        }
    }
}
