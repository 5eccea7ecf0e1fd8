package io.samsa.it.quota;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.RequestHeader;

/** One CreateTopics request at a chosen version over its own plain socket, for version-specific quota behaviour. */
final class RawCreateTopics {
    private RawCreateTopics() {
    }

    static CreateTopicsResponse create(String host, int port, String clientId, short version, String topic,
                                       int partitions) throws IOException {
        CreateTopicsRequestData body = new CreateTopicsRequestData().setTimeoutMs(30_000);
        body.topics().add(new CreatableTopic().setName(topic).setNumPartitions(partitions)
                .setReplicationFactor((short) 1));
        RequestHeader header = new RequestHeader(ApiKeys.CREATE_TOPICS, version, clientId, 1);
        ByteBuffer h = MessageUtil.toByteBufferAccessor(header.data(), header.headerVersion()).buffer();
        ByteBuffer b = MessageUtil.toByteBufferAccessor(body, version).buffer();
        ByteBuffer frame = ByteBuffer.allocate(4 + h.remaining() + b.remaining());
        frame.putInt(h.remaining() + b.remaining()).put(h).put(b);
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(frame.array());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return (CreateTopicsResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
        }
    }
}
