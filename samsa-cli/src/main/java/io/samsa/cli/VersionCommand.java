package io.samsa.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code samsa version}: the same lines as {@code samsa --version}. */
@Command(name = "version", description = "Print the version of Samsa and of the Kafka protocol it speaks.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa version"
        })
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : VersionProvider.lines()) {
            spec.commandLine().getOut().println(line);
        }
        return 0;
    }
}
