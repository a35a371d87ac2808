package dev.indexer.cli;

import dev.indexer.config.IndexerVersion;
import picocli.CommandLine;

/** The version from the build, for {@code --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "indexer " + IndexerVersion.get(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
