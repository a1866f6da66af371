import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Starts an embedded Neo4j 5.26 (Community) with the Bolt connector on loopback.
 *
 * Run as a single-file source, no build step: {@code java -cp <classpath> Launcher.java [options]}.
 * The Node side (src/graph/embedded.ts) spawns it and waits for the ready line on stdout:
 * {@code NEO4J_READY bolt://127.0.0.1:<port>}.
 *
 * Options: --data-dir DIR (default .neo4j), --port N (default 7687), --pagecache BYTES (default 256m),
 * --tx-timeout SECONDS (default 60), --tx-memory BYTES (default 0: no limit),
 * --exit-on-stdin-close. The password comes from the environment
 * (NEO4J_EMBEDDED_PASSWORD) so that it never shows in a process listing; without it auth is off, which
 * any local user could use: the Node side always gives one in production (src/graph/embedded-password.ts).
 * Restarting with the password already set is fine.
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path dataDir = Path.of(opts.getOrDefault("data-dir", ".neo4j")).toAbsolutePath();
        int port = Integer.parseInt(opts.getOrDefault("port", "7687"));
        long pagecache = parseBytes(opts.getOrDefault("pagecache", "256m"));
        long txTimeout = Long.parseLong(opts.getOrDefault("tx-timeout", "60"));
        // Memory one transaction may use (db.memory.transaction.max); 0 means no limit per transaction.
        long txMemory = parseBytes(opts.getOrDefault("tx-memory", "0"));
        String password = System.getenv("NEO4J_EMBEDDED_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        Files.createDirectories(dataDir);
        Path plugins = dataDir.resolve("plugins");
        Files.createDirectories(plugins);

        long started = System.nanoTime();
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                // Without this the driver's routing table would name the default host, not loopback.
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(txTimeout))
                // A query that needs more than this fails on its own (MemoryPoolOutOfMemoryError) instead of
                // filling the heap that every other request shares.
                .setConfig(GraphDatabaseSettings.memory_tracking, true)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, txMemory)
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
                // Bolt's Netty waits for a quiet period before it stops, which made every stop take ~10 s;
                // clients are gone by then (the API closes its driver first), so there is nothing to wait for.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                .build();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J_STOPPING");
            service.shutdown();
            System.out.println("NEO4J_STOPPED");
        }, "neo4j-shutdown"));

        try {
            if (auth) {
                // The embedded API runs with full rights, so it can set the password of the default user
                // without the "change on first login" step a server install asks for.
                try {
                    service.database("system").executeTransactionally(
                            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                            Map.of("password", password));
                } catch (QueryExecutionException e) {
                    // A restart with the password already set: Neo4j refuses to "change" it to itself.
                    if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                        throw e;
                    }
                }
            }
            // Touch the default database so that the ready line means "queries will run".
            service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        } catch (RuntimeException e) {
            // Neo4j's own threads would keep the JVM alive, never ready: exit so the parent sees the failure.
            e.printStackTrace();
            System.exit(1);
        }

        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("NEO4J_STARTED_MS " + ms);
        System.out.println("NEO4J_READY bolt://127.0.0.1:" + port);
        System.out.flush();

        if (opts.containsKey("exit-on-stdin-close")) {
            // When the parent dies (even by SIGKILL) its end of our stdin closes: stop cleanly instead of
            // lingering as an orphan that holds the store lock.
            watchStdin();
            System.exit(0);
        } else {
            Thread.currentThread().join();
        }
    }

    private static void watchStdin() {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Input is ignored; only its end matters.
            }
        } catch (IOException ignored) {
            // A broken pipe is an end too.
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument: " + a);
            }
            String key = a.substring(2);
            if (key.equals("exit-on-stdin-close")) {
                out.put(key, "true");
            } else if (i + 1 < args.length) {
                out.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("Missing value for " + a);
            }
        }
        return out;
    }

    private static long parseBytes(String s) {
        String v = s.trim().toLowerCase();
        long unit = 1;
        if (v.endsWith("g")) unit = 1L << 30;
        else if (v.endsWith("m")) unit = 1L << 20;
        else if (v.endsWith("k")) unit = 1L << 10;
        if (unit != 1) v = v.substring(0, v.length() - 1);
        return Long.parseLong(v) * unit;
    }
}
