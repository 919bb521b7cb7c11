package io.flowfleet.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowfleet.core.config.RuntimeConfig;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The Postgres connection pools of a process, with the schema brought up to date by Flyway: the
 * main pool commits durably (Postgres defaults), the relaxed pool with {@code synchronous_commit =
 * off} for writes whose loss in a Postgres crash the next heartbeat repairs (lease extensions,
 * checkpoints), so they do not wait for a WAL flush.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final RuntimeConfig config;
    private final String poolName;
    private final Duration connectionTimeout;
    private HikariDataSource relaxed;

    private Database(HikariDataSource dataSource, RuntimeConfig config, String poolName, Duration connectionTimeout) {
        this.dataSource = dataSource;
        this.config = config;
        this.poolName = poolName;
        this.connectionTimeout = connectionTimeout;
    }

    /** Opens the pool and applies pending migrations (Flyway locks, so concurrent starts are safe). */
    public static Database open(RuntimeConfig config, String poolName) {
        return open(config, poolName, Duration.ofSeconds(10));
    }

    /** @param connectionTimeout how long a caller waits for a connection (request paths want an outage answered fast) */
    public static Database open(RuntimeConfig config, String poolName, Duration connectionTimeout) {
        HikariDataSource ds = pool(config, poolName, config.postgresPoolSize(), null, connectionTimeout);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, config, poolName, connectionTimeout);
    }

    private static HikariDataSource pool(RuntimeConfig config, String poolName, int size, String connectionInitSql,
                                         Duration connectionTimeout) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(config.postgresUrl());
        hikari.setUsername(config.postgresUsername());
        hikari.setPassword(config.postgresPassword());
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(Math.min(2, size));
        hikari.setAutoCommit(true);
        hikari.setConnectionTimeout(connectionTimeout.toMillis());
        // Server-side prepared statements from the first use: the hot statements run thousands of times.
        hikari.addDataSourceProperty("prepareThreshold", "1");
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.addDataSourceProperty("ApplicationName", poolName);
        if (connectionInitSql != null) hikari.setConnectionInitSql(connectionInitSql);
        return new HikariDataSource(hikari);
    }

    /** Durable commits: runs accepted, results, flows. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Commits that do not wait for the WAL flush (opened on first use). */
    public synchronized DataSource relaxedDataSource() {
        if (relaxed == null) relaxed = pool(config, poolName + "-relaxed", config.postgresPoolSize(), "SET synchronous_commit = off", connectionTimeout);
        return relaxed;
    }

    @Override
    public synchronized void close() {
        if (relaxed != null) relaxed.close();
        dataSource.close();
    }
}
