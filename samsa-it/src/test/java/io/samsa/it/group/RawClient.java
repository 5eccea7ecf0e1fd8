package io.samsa.it.group;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One blocking connection that sends single requests built with kafka-clients' request classes at a chosen version
 * and parses the response: lets a test send what a well-behaved client never would. Not thread-safe.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int correlationId;

    public RawClient(String bootstrap) throws IOException {
        String[] hp = bootstrap.split(":");
        socket = new Socket(hp[0], Integer.parseInt(hp[1]));
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    @SuppressWarnings("unchecked")
    public <R extends AbstractResponse> R send(AbstractRequest.Builder<?> builder, short version) throws IOException {
        AbstractRequest request = builder.build(version);
        RequestHeader header = new RequestHeader(request.apiKey(), version, "raw-client", ++correlationId);
        ByteBuffer frame = request.serializeWithHeader(header);
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        return (R) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
