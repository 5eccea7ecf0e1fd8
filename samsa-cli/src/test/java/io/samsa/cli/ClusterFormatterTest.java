package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;

class ClusterFormatterTest {
    @Test
    void lists_brokers_by_id_with_rack_and_fencing_and_says_when_there_is_no_quorum_to_show() {
        // Given
        Node b1 = new Node(1, "h1", 9092, "rack-a", false);
        Node b3 = new Node(3, "h3", 9094, null, true);
        Node b2 = new Node(2, "h2", 9093, "rack-b", false);

        // When
        List<String> lines = ClusterFormatter.format("MkU3OEVBNTcwNTJENDM2Qk", b2, List.of(b3, b1, b2), null, 0);

        // Then
        assertThat(lines).containsExactly(
                "ClusterId: MkU3OEVBNTcwNTJENDM2Qk",
                "Controller: 2",
                "Brokers: 3",
                "ID HOST:PORT RACK   FENCED",
                "1  h1:9092   rack-a false",
                "2  h2:9093   rack-b false",
                "3  h3:9094   -      true",
                "Quorum: not available (the broker does not serve DescribeQuorum)");
    }

    @Test
    void an_unknown_controller_is_none() {
        List<String> lines = ClusterFormatter.format("c", Node.noNode(), List.of(), null, 0);

        assertThat(lines).contains("Controller: none", "Brokers: 0");
    }
}
