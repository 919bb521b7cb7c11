package io.flowfleet.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowfleet.core.config.RuntimeConfig;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** The Postgres connection pool of a process, with the schema brought up to date by Flyway. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool and applies pending migrations (Flyway locks, so concurrent starts are safe). */
    public static Database open(RuntimeConfig config, String poolName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(config.postgresUrl());
        hikari.setUsername(config.postgresUsername());
        hikari.setPassword(config.postgresPassword());
        hikari.setMaximumPoolSize(config.postgresPoolSize());
        hikari.setMinimumIdle(Math.min(2, config.postgresPoolSize()));
        hikari.setAutoCommit(true);
        hikari.setConnectionTimeout(10_000);
        // Server-side prepared statements from the first use: the hot statements run thousands of times.
        hikari.addDataSourceProperty("prepareThreshold", "1");
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.addDataSourceProperty("ApplicationName", poolName);
        HikariDataSource ds = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
