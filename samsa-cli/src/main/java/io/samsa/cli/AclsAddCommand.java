package io.samsa.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code samsa acls add}: one ACL per resource × principal × operation (CreateAcls), as {@code kafka-acls --add}.
 * Without {@code --operation} the operation is ALL; {@code --host} defaults to {@code *}.
 */
@Command(name = "add", description = "Add ACLs.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa acls add --allow-principal User:alice --operation Read \\",
            "      --operation Describe --topic orders",
            "  samsa acls add --allow-principal User:alice --operation Read \\",
            "      --group orders-app",
            "  samsa acls add --deny-principal User:mallory --operation Write \\",
            "      --topic orders- --resource-pattern-type PREFIXED"
        })
final class AclsAddCommand extends AdminCommand {
    @Mixin
    AclResourceOptions resources;

    @Option(names = "--allow-principal", paramLabel = "PRINCIPAL",
            description = "Principal to allow, e.g. User:alice (User:* is everyone); repeatable.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--deny-principal", paramLabel = "PRINCIPAL", description = "Principal to deny; repeatable.")
    List<String> deny = new ArrayList<>();

    @Option(names = "--operation", paramLabel = "OP", split = ",",
            description = "Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, "
                    + "AlterConfigs, IdempotentWrite, All (default All); repeatable or comma-separated.")
    List<String> operations = new ArrayList<>();

    @Option(names = "--host", paramLabel = "IP", description = "Client address the ACLs apply to (default *).")
    String host = "*";

    @Override
    int run(Admin admin) throws Exception {
        if (!resources.any()) {
            throw new ParameterException(spec.commandLine(),
                    "name a resource: --topic, --group, --transactional-id or --cluster");
        }
        if (allow.isEmpty() && deny.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "name a principal: --allow-principal or --deny-principal");
        }
        List<AclOperation> ops = operations.isEmpty() ? List.of(AclOperation.ALL)
                : operations.stream().map(o -> AclResourceOptions.operation(spec, o)).toList();
        List<AclBinding> bindings = new ArrayList<>();
        for (ResourcePattern pattern : resources.patterns(spec, PatternType.LITERAL)) {
            for (AclOperation op : ops) {
                AclResourceOptions.checkSupported(spec, pattern.resourceType(), op);
                allow.forEach(p -> bindings.add(new AclBinding(pattern,
                        new AccessControlEntry(principal(p), host, op, AclPermissionType.ALLOW))));
                deny.forEach(p -> bindings.add(new AclBinding(pattern,
                        new AccessControlEntry(principal(p), host, op, AclPermissionType.DENY))));
            }
        }
        try {
            admin.createAcls(bindings).all().get();
        } catch (ExecutionException e) {
            throw AclsCommand.failure("Failed to add ACLs", e.getCause());
        }
        AclsListCommand.print(spec.commandLine().getOut(), bindings);
        return 0;
    }

    private String principal(String text) {
        if (text.indexOf(':') <= 0) {
            throw new ParameterException(spec.commandLine(),
                    "principal '" + text + "' must be TYPE:NAME, e.g. User:alice");
        }
        return text;
    }
}
