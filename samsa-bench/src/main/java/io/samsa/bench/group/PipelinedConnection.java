package io.samsa.bench.group;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One Kafka connection that pipelines requests (kafka-clients request classes at a fixed version): up to
 * {@code window} requests in flight, responses read in order by a second thread. Enough of a client to load a broker
 * without a real consumer's threads. Not thread-safe: one batch at a time.
 */
final class PipelinedConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int correlationId;

    PipelinedConnection(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(120_000);
        in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 65_536));
        out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream(), 65_536));
    }

    /** Sends every request (at most {@code window} unanswered) and returns the responses in order. */
    List<AbstractResponse> exchange(List<Supplier<AbstractRequest.Builder<?>>> requests, short version, int window)
            throws Exception {
        List<RequestHeader> headers = new ArrayList<>(requests.size());
        List<AbstractResponse> responses = new ArrayList<>(requests.size());
        Semaphore inFlight = new Semaphore(window);
        Exception[] readFailure = new Exception[1];
        Thread reader = new Thread(() -> {
            try {
                for (int i = 0; i < requests.size(); i++) {
                    byte[] frame = new byte[in.readInt()];
                    in.readFully(frame);
                    RequestHeader header;
                    synchronized (headers) {
                        while (headers.size() <= i) {
                            headers.wait();
                        }
                        header = headers.get(i);
                    }
                    responses.add(AbstractResponse.parseResponse(ByteBuffer.wrap(frame), header));
                    inFlight.release();
                }
            } catch (Exception e) {
                readFailure[0] = e;
            }
        }, "bench-reader");
        reader.start();
        for (Supplier<AbstractRequest.Builder<?>> r : requests) {
            inFlight.acquire();
            AbstractRequest request = r.get().build(version);
            RequestHeader header = new RequestHeader(request.apiKey(), version, "samsa-bench", ++correlationId);
            synchronized (headers) {
                headers.add(header);
                headers.notifyAll();
            }
            ByteBuffer frame = request.serializeWithHeader(header);
            out.writeInt(frame.remaining());
            out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
            if (inFlight.availablePermits() == 0) {
                out.flush();
            }
        }
        out.flush();
        reader.join();
        if (readFailure[0] != null) {
            throw readFailure[0];
        }
        return responses;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
