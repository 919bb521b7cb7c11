package io.flowfleet.bench;

import io.flowfleet.local.LocalPostgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * After the scenarios: Postgres must hold a SUCCEEDED run for every call that answered correctly,
 * and no run may stay open (QUEUED or RUNNING) once the workers have written their results.
 */
final class DurabilityCheck {

    private DurabilityCheck() {
    }

    static BenchResult.Durability run(LocalPostgres postgres, long successfulCalls, Duration settle) throws InterruptedException {
        long deadline = System.nanoTime() + settle.toNanos();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            while (true) {
                Map<String, Long> byStatus = new LinkedHashMap<>();
                try (ResultSet rows = statement.executeQuery("select status, count(*) from runs group by status order by status")) {
                    while (rows.next()) {
                        byStatus.put(rows.getString(1), rows.getLong(2));
                    }
                }
                long open = byStatus.getOrDefault("QUEUED", 0L) + byStatus.getOrDefault("RUNNING", 0L);
                if (open == 0 || System.nanoTime() > deadline) {
                    long stored = byStatus.values().stream().mapToLong(Long::longValue).sum();
                    long succeeded = byStatus.getOrDefault("SUCCEEDED", 0L);
                    String note = succeeded >= successfulCalls && open == 0
                            ? "every successful call has a SUCCEEDED run in Postgres; no run left open"
                            : "MISMATCH: " + successfulCalls + " successful calls, " + succeeded + " SUCCEEDED runs, " + open + " open";
                    return new BenchResult.Durability(true, successfulCalls, stored, byStatus, open, note);
                }
                Thread.sleep(200);
            }
        } catch (SQLException e) {
            return new BenchResult.Durability(false, successfulCalls, 0, Map.of(), 0,
                    "not checked: " + e.getMessage());
        }
    }
}
