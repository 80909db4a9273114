package io.tributary.testing.flink;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * The main of the session cluster's JVM: a Flink MiniCluster with its REST endpoint and web submission on loopback,
 * run until its standard input closes (the test that started it ended or died). Prints {@code rest-address URI}
 * on standard output once jobs can be submitted.
 */
public final class FlinkSessionCluster {
    static final String ADDRESS_LINE = "rest-address ";

    private FlinkSessionCluster() {}

    /** Arguments: the working directory (uploaded jars), then task slots. */
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int slots = Integer.parseInt(args[1]);
        Files.createDirectories(work.resolve("uploads"));
        Configuration configuration = new Configuration();
        configuration.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        configuration.set(RestOptions.ADDRESS, "127.0.0.1");
        configuration.set(RestOptions.BIND_PORT, "0");
        configuration.set(WebOptions.UPLOAD_DIR, work.resolve("uploads").toString());
        MiniClusterConfiguration clusterConfiguration = new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build();
        try (MiniCluster cluster = new MiniCluster(clusterConfiguration)) {
            cluster.start();
            URI address = cluster.getRestAddress().get();
            System.out.println(ADDRESS_LINE + address);
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // The parent never writes; end of input means it is gone.
            }
        }
        System.exit(0);
    }
}
