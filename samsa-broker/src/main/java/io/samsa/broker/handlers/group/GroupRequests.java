package io.samsa.broker.handlers.group;

import io.samsa.coordinator.group.classic.JoinContext;
import io.samsa.protocol.RequestContext;

/** Helpers shared by the group handlers. */
final class GroupRequests {
    private GroupRequests() {
    }

    /** The client's address as Kafka shows it in DescribeGroups ("/127.0.0.1"). */
    static String clientHost(RequestContext context) {
        return context.clientAddress() == null || context.clientAddress().getAddress() == null ? ""
                : "/" + context.clientAddress().getAddress().getHostAddress();
    }

    static JoinContext joinContext(RequestContext context) {
        String clientId = context.clientId() == null ? "" : context.clientId();
        return new JoinContext(clientId, clientHost(context), context.apiVersion());
    }
}
