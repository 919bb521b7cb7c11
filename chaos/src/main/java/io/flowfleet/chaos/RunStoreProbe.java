package io.flowfleet.chaos;

import io.flowfleet.chaos.ChaosRecords.Run;
import io.flowfleet.local.LocalPostgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Postgres holds about the suite's runs. A trigger installed on {@code runs} records every
 * write of a terminal result (a row turning terminal, or a terminal row rewritten), in the same
 * transaction as the write, so a second result for one run cannot go unseen.
 */
final class RunStoreProbe {

    private final LocalPostgres postgres;
    private final List<String> flowIds;

    RunStoreProbe(LocalPostgres postgres, List<String> flowIds) {
        this.postgres = postgres;
        this.flowIds = List.copyOf(flowIds);
    }

    /** Installs the terminal-write trigger (once the app has migrated the schema). */
    void install() throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    create table if not exists chaos_terminal_writes (
                        run_id uuid not null, old_status text, new_status text, attempt integer, worker_id text,
                        written_at timestamptz not null default clock_timestamp())""");
            statement.execute("""
                    create or replace function chaos_record_terminal_write() returns trigger language plpgsql as $$
                    begin
                      if new.status not in ('QUEUED', 'RUNNING')
                         and (old.status in ('QUEUED', 'RUNNING') or old.status is distinct from new.status
                              or old.finished_at is distinct from new.finished_at
                              or old.response is distinct from new.response
                              or old.error is distinct from new.error) then
                        insert into chaos_terminal_writes (run_id, old_status, new_status, attempt, worker_id)
                        values (new.id, old.status, new.status, new.attempt, new.worker_id);
                      end if;
                      return new;
                    end $$""");
            statement.execute("drop trigger if exists chaos_terminal_write on runs");
            statement.execute("""
                    create trigger chaos_terminal_write after update on runs
                    for each row execute function chaos_record_terminal_write()""");
        }
    }

    /** Runs of the suite's flows still QUEUED or RUNNING. */
    long openRuns() throws SQLException {
        try (Connection connection = postgres.connect();
             PreparedStatement query = connection.prepareStatement(
                     "select count(*) from runs where flow_id = any(?) and status in ('QUEUED', 'RUNNING')")) {
            query.setArray(1, connection.createArrayOf("text", flowIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** A worker holding RUNNING runs of a flow, and how many of them have a sync caller waiting. */
    record BusyWorker(String workerId, int syncRuns) {
    }

    /**
     * Worker ids (AP_WORKER_ID, {@code host-pid}) holding a RUNNING run of the given flow, those
     * holding the most sync callers' runs first (a worker fault should strike callers who wait).
     */
    List<BusyWorker> workersRunning(String flowId) throws SQLException {
        try (Connection connection = postgres.connect();
             PreparedStatement query = connection.prepareStatement(
                     """
                     select worker_id, count(*) filter (where sync) from runs
                     where flow_id = ? and status = 'RUNNING' and worker_id is not null
                     group by worker_id order by 2 desc""")) {
            query.setString(1, flowId);
            List<BusyWorker> workers = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    workers.add(new BusyWorker(rows.getString(1), rows.getInt(2)));
                }
            }
            return workers;
        }
    }

    List<Run> runs() throws SQLException {
        try (Connection connection = postgres.connect();
             PreparedStatement query = connection.prepareStatement("""
                     select id::text, payload -> 'body' ->> 'key', status, attempt, created_at, finished_at
                     from runs where flow_id = any(?)""")) {
            query.setArray(1, connection.createArrayOf("text", flowIds.toArray()));
            List<Run> runs = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    runs.add(new Run(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4),
                            instant(rows.getTimestamp(5)), instant(rows.getTimestamp(6))));
                }
            }
            return runs;
        }
    }

    /** Per run id, the terminal writes the trigger saw. */
    Map<String, Integer> terminalWrites() throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select run_id::text, count(*) from chaos_terminal_writes group by run_id")) {
            Map<String, Integer> writes = new HashMap<>();
            while (rows.next()) {
                writes.put(rows.getString(1), rows.getInt(2));
            }
            return writes;
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
