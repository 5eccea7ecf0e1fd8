package io.samsa.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code samsa acls remove}: removes the ACLs of the named resources (DeleteAcls) — all of them, or only those of
 * {@code --allow-principal}/{@code --deny-principal} with {@code --operation} and {@code --host} — and prints what was
 * removed. {@code --force} is accepted for {@code kafka-acls} compatibility: samsa never prompts.
 */
@Command(name = "remove", description = "Remove ACLs.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa acls remove --topic orders --allow-principal User:alice \\",
            "      --operation Read"
        })
final class AclsRemoveCommand extends AdminCommand {
    @Mixin
    AclResourceOptions resources;

    @Option(names = "--allow-principal", paramLabel = "PRINCIPAL", description = "Remove this principal's ALLOW ACLs.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--deny-principal", paramLabel = "PRINCIPAL", description = "Remove this principal's DENY ACLs.")
    List<String> deny = new ArrayList<>();

    @Option(names = "--operation", paramLabel = "OP", split = ",",
            description = "Only ACLs of these operations (default: any).")
    List<String> operations = new ArrayList<>();

    @Option(names = "--host", paramLabel = "IP", description = "Only ACLs for this client address (default: any).")
    String host;

    @Option(names = "--force", description = "Accepted for kafka-acls compatibility (samsa does not prompt).")
    boolean force;

    @Override
    int run(Admin admin) throws Exception {
        if (!resources.any()) {
            throw new ParameterException(spec.commandLine(),
                    "name a resource: --topic, --group, --transactional-id or --cluster");
        }
        List<AclOperation> ops = operations.isEmpty() ? List.of(AclOperation.ANY)
                : operations.stream().map(o -> AclResourceOptions.operation(spec, o)).toList();
        List<AclBindingFilter> filters = new ArrayList<>();
        for (ResourcePatternFilter resource : resources.filters(spec, PatternType.LITERAL)) {
            for (AclOperation op : ops) {
                if (allow.isEmpty() && deny.isEmpty()) {
                    filters.add(new AclBindingFilter(resource,
                            new AccessControlEntryFilter(null, host, op, AclPermissionType.ANY)));
                }
                allow.forEach(p -> filters.add(new AclBindingFilter(resource,
                        new AccessControlEntryFilter(p, host, op, AclPermissionType.ALLOW))));
                deny.forEach(p -> filters.add(new AclBindingFilter(resource,
                        new AccessControlEntryFilter(p, host, op, AclPermissionType.DENY))));
            }
        }
        Collection<AclBinding> removed;
        try {
            removed = admin.deleteAcls(filters).all().get();
        } catch (ExecutionException e) {
            throw AclsCommand.failure("Failed to remove ACLs", e.getCause());
        }
        AclsListCommand.print(spec.commandLine().getOut(), removed);
        return 0;
    }
}
