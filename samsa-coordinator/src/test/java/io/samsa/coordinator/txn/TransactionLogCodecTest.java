package io.samsa.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogKey;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue;
import org.junit.jupiter.api.Test;

/** The {@code __transaction_state} codec against Kafka 4.3.1's generated TransactionLogKey / TransactionLogValue. */
class TransactionLogCodecTest {
    private static final TxnTransit ONGOING = new TxnTransit(4001, 3999, 4002, (short) 7, (short) 6, 60_000,
            TransactionState.ONGOING, Set.of(new TopicPartition("orders", 2), new TopicPartition("orders", 0),
            new TopicPartition("__consumer_offsets", 17)), 1_700_000_000_000L, 1_700_000_000_500L, (short) 2);
    private static final TxnTransit EMPTY = new TxnTransit(4001, -1, -1, (short) 0, (short) -1, 60_000,
            TransactionState.EMPTY, Set.of(), -1, 1_700_000_000_000L, (short) 0);

    /** Kafka's value; the tagged fields only at v1 (Kafka refuses them at v0). */
    private static TransactionLogValue kafkaValue(TxnTransit t, short version) {
        TransactionLogValue v = new TransactionLogValue().setProducerId(t.producerId())
                .setProducerEpoch(t.producerEpoch()).setTransactionTimeoutMs(t.txnTimeoutMs())
                .setTransactionStatus(t.state().id()).setTransactionLastUpdateTimestampMs(t.txnLastUpdateTimestamp())
                .setTransactionStartTimestampMs(t.txnStartTimestamp());
        if (version >= 1) {
            v.setPreviousProducerId(t.prevProducerId()).setNextProducerId(t.nextProducerId())
                    .setClientTransactionVersion(t.clientTransactionVersion());
        }
        if (t.state() == TransactionState.EMPTY) {
            v.setTransactionPartitions(null);
        } else {
            v.setTransactionPartitions(List.of(
                    new TransactionLogValue.PartitionsSchema().setTopic("__consumer_offsets").setPartitionIds(List.of(17)),
                    new TransactionLogValue.PartitionsSchema().setTopic("orders").setPartitionIds(List.of(0, 2))));
        }
        return v;
    }

    @Test
    void keyIsKafkasTransactionLogKeyV0() {
        byte[] kafka = MessageUtil.toVersionPrefixedBytes((short) 0,
                new TransactionLogKey().setTransactionalId("payments-tx-é"));
        assertThat(TransactionLogCodec.key("payments-tx-é")).isEqualTo(kafka);
    }

    @Test
    void valuesAreKafkasBytesInBothVersions() {
        for (short version = 0; version <= 1; version++) {
            for (TxnTransit t : List.of(ONGOING, EMPTY)) {
                byte[] kafka = MessageUtil.toVersionPrefixedBytes(version, kafkaValue(t, version));
                assertThat(TransactionLogCodec.value(t, version)).as("v%d %s", version, t.state()).isEqualTo(kafka);
            }
        }
    }

    @Test
    void decodesWhatKafkaWrites() {
        byte[] key = MessageUtil.toVersionPrefixedBytes((short) 0, new TransactionLogKey().setTransactionalId("t1"));
        byte[] v1 = MessageUtil.toVersionPrefixedBytes((short) 1, kafkaValue(ONGOING, (short) 1));
        TransactionLogCodec.Entry e = TransactionLogCodec.decode(ByteBuffer.wrap(key), ByteBuffer.wrap(v1));
        assertThat(e.transactionalId()).isEqualTo("t1");
        // the last epoch is not in the log
        assertThat(e.value()).isEqualTo(new TxnTransit(4001, 3999, 4002, (short) 7, (short) -1, 60_000,
                TransactionState.ONGOING, ONGOING.partitions(), ONGOING.txnStartTimestamp(),
                ONGOING.txnLastUpdateTimestamp(), (short) 2));

        byte[] v0 = MessageUtil.toVersionPrefixedBytes((short) 0, kafkaValue(ONGOING, (short) 0));
        TxnTransit fromV0 = TransactionLogCodec.decode(ByteBuffer.wrap(key), ByteBuffer.wrap(v0)).value();
        assertThat(fromV0.prevProducerId()).isEqualTo(-1); // v0 has no tagged fields
        assertThat(fromV0.clientTransactionVersion()).isEqualTo((short) 0);
        assertThat(fromV0.partitions()).isEqualTo(ONGOING.partitions());
    }

    @Test
    void kafkaDecodesWhatSamsaWrites() {
        ByteBuffer value = ByteBuffer.wrap(TransactionLogCodec.value(ONGOING, (short) 1));
        short version = value.getShort();
        TransactionLogValue decoded = new TransactionLogValue(new ByteBufferAccessor(value), version);
        assertThat(decoded).isEqualTo(kafkaValue(ONGOING, (short) 1));
    }

    @Test
    void aNullValueIsATombstoneAndOtherKeyVersionsAreSkipped() {
        TransactionLogCodec.Entry tombstone = TransactionLogCodec.decode(
                ByteBuffer.wrap(TransactionLogCodec.key("gone")), null);
        assertThat(tombstone).isEqualTo(new TransactionLogCodec.Entry("gone", null));
        ByteBuffer otherKind = ByteBuffer.allocate(4).putShort((short) 3).putShort((short) 0).flip();
        assertThat(TransactionLogCodec.decode(otherKind, null)).isNull();
    }
}
