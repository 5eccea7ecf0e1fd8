package io.samsa.storage.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionIndexTest {
    @TempDir
    Path dir;

    @Test
    void isCreatedByTheFirstAppendAndSearchedAsKafkaDoes() throws Exception {
        File file = dir.resolve("00000000000000000000.txnindex").toFile();
        TransactionIndex index = new TransactionIndex(file);
        assertThat(index.collect(0, 100).aborted()).isEmpty();
        assertThat(file).doesNotExist();

        index.append(new AbortedTxn(1, 0, 5, 6));
        index.append(new AbortedTxn(2, 3, 9, 10));
        index.append(new AbortedTxn(3, 20, 30, 31));
        assertThat(Files.size(file.toPath())).isEqualTo(3L * TransactionIndex.ENTRY_SIZE);

        // overlapping [6, 12): P2 only, and complete once an entry's LSO reached 12 (P3's)
        TransactionIndex.SearchResult found = index.collect(6, 12);
        assertThat(found.aborted()).containsExactly(new AbortedTxn(2, 3, 9, 10));
        assertThat(found.complete()).isTrue();
        assertThat(index.collect(0, 50).complete()).isFalse();
        assertThatThrownBy(() -> index.append(new AbortedTxn(4, 31, 30, 40)))
                .isInstanceOf(IllegalArgumentException.class);
        index.close();

        // reopened from the file
        TransactionIndex reopened = new TransactionIndex(file);
        assertThat(reopened.all()).hasSize(3);
        reopened.close();
    }

    @Test
    void truncatesDropsATornTailRenamesAndResets() throws Exception {
        File file = dir.resolve("00000000000000000000.txnindex").toFile();
        TransactionIndex index = new TransactionIndex(file);
        index.append(new AbortedTxn(1, 0, 5, 6));
        index.append(new AbortedTxn(2, 3, 9, 10));
        index.close();
        try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 7})); // a torn third entry
        }

        TransactionIndex reopened = new TransactionIndex(file);
        assertThat(reopened.all()).hasSize(2);
        assertThat(Files.size(file.toPath())).isEqualTo(2L * TransactionIndex.ENTRY_SIZE);

        reopened.truncateTo(9); // the marker at 9 is gone
        assertThat(reopened.all()).containsExactly(new AbortedTxn(1, 0, 5, 6));
        assertThat(Files.size(file.toPath())).isEqualTo(TransactionIndex.ENTRY_SIZE);

        File renamed = dir.resolve("00000000000000000000.txnindex.deleted").toFile();
        reopened.renameTo(renamed);
        assertThat(renamed).exists();
        assertThat(file).doesNotExist();
        reopened.reset();
        assertThat(reopened.all()).isEmpty();
        reopened.deleteIfExists();
        assertThat(renamed).doesNotExist();
    }
}
