package io.samsa.coordinator.group.classic;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/** Builds JoinGroup and SyncGroup responses from a classic group's state. */
final class ClassicResponses {
    private ClassicResponses() {
    }

    static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setMemberId(memberId == null ? "" : memberId)
                .setGenerationId(-1).setProtocolName("").setLeader("");
    }

    /** The current generation as {@code member} sees it; the member list only when {@code withMembers}. */
    static JoinGroupResponseData join(ClassicGroup group, String memberId, boolean withMembers) {
        List<JoinGroupResponseData.JoinGroupResponseMember> members = new ArrayList<>();
        if (withMembers) {
            for (ClassicGroupMember m : group.members()) {
                members.add(new JoinGroupResponseData.JoinGroupResponseMember().setMemberId(m.memberId())
                        .setGroupInstanceId(m.groupInstanceId()).setMetadata(m.metadata(group.protocolName())));
            }
        }
        return new JoinGroupResponseData().setErrorCode(Errors.NONE.code()).setGenerationId(group.generationId())
                .setProtocolType(group.protocolType()).setProtocolName(group.protocolName())
                .setLeader(group.leaderId()).setMemberId(memberId).setMembers(members);
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    static SyncGroupResponseData sync(ClassicGroup group, ClassicGroupMember member) {
        return new SyncGroupResponseData().setErrorCode(Errors.NONE.code()).setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName()).setAssignment(member.assignment());
    }
}
