package io.samsa.it.configs;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/** One request on a fresh connection, for APIs the Admin client no longer sends (legacy AlterConfigs). */
public final class RawClient {
    private RawClient() {
    }

    public static AbstractResponse send(String bootstrap, AbstractRequest request) throws Exception {
        String[] hostPort = bootstrap.split(":");
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw-client", 7);
        ByteBuffer bytes = request.serializeWithHeader(header);
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(30_000);
            var out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            var in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
        }
    }
}
