package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * InitProducerId (API 22, v0-6) for idempotent producers (no {@code transactional.id}): a fresh producer id with
 * epoch 0, unique across restarts. A producer that re-initializes after an unknown-sequence error (KIP-360) also
 * gets a fresh id. Transactional ids need the transaction coordinator (a later issue): they are refused with
 * UNSUPPORTED_VERSION, a final error (COORDINATOR_NOT_AVAILABLE would make clients retry forever).
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData> {
    private final BrokerContext ctx;

    public InitProducerIdHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<InitProducerIdResponseData> handle(RequestContext context,
                                                                InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                    .setProducerId(RecordBatch.NO_PRODUCER_ID).setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH));
        }
        return ctx.producerIds().nextProducerId().handle((id, error) -> {
            if (error != null) {
                return new InitProducerIdResponseData().setErrorCode(ErrorMapper.toError(error).code())
                        .setProducerId(RecordBatch.NO_PRODUCER_ID).setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
            }
            return new InitProducerIdResponseData().setErrorCode(Errors.NONE.code()).setProducerId(id)
                    .setProducerEpoch((short) 0);
        });
    }
}
