package io.flowfleet.core.store;

import io.flowfleet.core.flow.RunStatus;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.flowfleet.core.store.FlowStore.instant;

/**
 * Runs in Postgres, the source of truth. Every state change is one conditional statement, so a run
 * ends in exactly one terminal state however many times it is delivered:
 * QUEUED → RUNNING (claim, attempt+1, lease) → SUCCEEDED | FAILED | TIMEOUT (complete, only by the
 * current attempt's holder). A RUNNING run whose lease expired can be claimed again.
 */
public final class RunStore {
    /**
     * The webhook's one round trip: stores the run only if the flow is enabled and published, and
     * picks its queue from the route map (a JSON object project → queue) in the same statement.
     */
    private static final String ACCEPT = """
            INSERT INTO runs (id, flow_id, flow_version_id, project_id, queue, status, sync, reply_to, payload)
            SELECT ?, f.id, f.published_version_id, f.project_id, coalesce(?::jsonb ->> f.project_id, ?), 'QUEUED', ?, ?, ?::jsonb
            FROM flows f
            WHERE f.id = ? AND f.status = 'ENABLED' AND f.published_version_id IS NOT NULL
            RETURNING flow_version_id, project_id, queue""";

    /**
     * The claim, and in the same round trip the status that refused it: the outer SELECT reads the
     * row as it was before the UPDATE (one snapshot per statement), so a refusal says why.
     */
    private static final String CLAIM = """
            WITH claimed AS (
                UPDATE runs SET status = 'RUNNING', attempt = attempt + 1, worker_id = ?,
                                lease_until = now() + make_interval(secs => ?), started_at = coalesce(started_at, now())
                WHERE id = ? AND (status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < now()))
                RETURNING attempt, checkpoint::text AS checkpoint)
            SELECT r.status, c.attempt, c.checkpoint,
                   CASE WHEN r.status = 'RUNNING' THEN extract(epoch FROM r.lease_until - now()) END AS lease_left
            FROM runs r LEFT JOIN claimed c ON true WHERE r.id = ?""";

    /** Result and steps in one statement; applies only while this attempt still holds the run. */
    private static final String COMPLETE = """
            WITH done AS (
                UPDATE runs SET status = ?, finished_at = now(), response = ?::jsonb, error = ?,
                                lease_until = NULL, checkpoint = NULL
                WHERE id = ? AND status = 'RUNNING' AND attempt = ? AND worker_id = ?
                RETURNING id),
            steps AS (
                INSERT INTO step_outputs (run_id, position, step_name, status, output, output_ref, error, duration_us)
                SELECT done.id, s.p, s.n, s.s, s.o, s.r, s.e, s.d
                FROM done, jsonb_to_recordset(?::jsonb) AS s(p int, n text, s text, o jsonb, r text, e text, d bigint))
            SELECT count(*) FROM done""";

    private static final String SELECT_RUN = """
            SELECT id, flow_id, flow_version_id, project_id, queue, status, sync, attempt, worker_id,
                   created_at, started_at, finished_at, response::text, error""";

    private static final JsonFactory JSON = io.flowfleet.core.flow.Json.FACTORY;
    private static final ObjectMapper MAPPER = io.flowfleet.core.flow.Json.MAPPER;

    private final DataSource dataSource;
    private final DataSource relaxed;

    /** Every write durable. */
    public RunStore(DataSource dataSource) {
        this(dataSource, dataSource);
    }

    /**
     * @param relaxed for lease extensions and checkpoints: if Postgres crashes and loses one, the
     *                lease looks shorter and the holder's next heartbeat extends it again. Accepting a
     *                run, claiming it and storing its result always commit durably: a claim lost in a
     *                crash would let the run execute again, effects included, with no worker dead.
     */
    public RunStore(DataSource dataSource, DataSource relaxed) {
        this.dataSource = dataSource;
        this.relaxed = relaxed;
    }

    /**
     * Stores a new QUEUED run for an enabled, published flow. Empty when the flow cannot take runs
     * (missing, draft, disabled, deleted): nothing is written then.
     *
     * @param routesJson JSON object project → queue (AP_QUEUE_ROUTES); unlisted projects get {@code defaultQueue}
     */
    public Optional<AcceptedRun> accept(UUID runId, String flowId, boolean sync, String payloadJson, String routesJson, String defaultQueue) {
        return accept(runId, flowId, sync, null, payloadJson, routesJson, defaultQueue);
    }

    /**
     * Stores a new QUEUED sync run ({@code replyTo} non-null: the app channel its caller waits on,
     * kept so that the run still answers when its job has to be enqueued again) or async run (null).
     */
    public Optional<AcceptedRun> accept(UUID runId, String flowId, String replyTo, String payloadJson, String routesJson, String defaultQueue) {
        return accept(runId, flowId, replyTo != null, replyTo, payloadJson, routesJson, defaultQueue);
    }

    private Optional<AcceptedRun> accept(UUID runId, String flowId, boolean sync, String replyTo, String payloadJson,
                                         String routesJson, String defaultQueue) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ACCEPT)) {
            ps.setObject(1, runId);
            ps.setString(2, routesJson);
            ps.setString(3, defaultQueue);
            ps.setBoolean(4, sync);
            ps.setString(5, replyTo);
            ps.setString(6, payloadJson);
            ps.setString(7, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new AcceptedRun(runId, flowId, rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new StoreException("storing run " + runId, e);
        }
    }

    /**
     * Takes back a run the app accepted but could not enqueue (Redis refused the job), so that it never
     * executes: deleted while no worker has claimed it (the sweeper never sees it; a job that reached
     * Redis after all finds no run and is dropped as a duplicate). False when a worker already holds
     * or finished it: the job was delivered, and the run goes on.
     */
    public boolean withdraw(UUID runId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM runs WHERE id = ? AND status = 'QUEUED' AND attempt = 0")) {
            ps.setObject(1, runId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("withdrawing run " + runId, e);
        }
    }

    /**
     * Takes a delivered run: QUEUED, or RUNNING with an expired lease (its worker died). Empty when
     * the run is terminal, unknown, or held by a live worker: the delivery is then a duplicate.
     */
    public Optional<Claim> claim(UUID runId, String workerId, Duration lease) {
        return tryClaim(runId, workerId, lease) instanceof ClaimResult.Claimed(Claim claim) ? Optional.of(claim) : Optional.empty();
    }

    /**
     * Takes a delivered run like {@link #claim}, and when refused says what refused it, and for a run
     * held elsewhere how long that lease still runs (one round trip either way): a stale job of a
     * finished run costs this one statement.
     */
    public ClaimResult tryClaim(UUID runId, String workerId, Duration lease) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, workerId);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setObject(3, runId);
            ps.setObject(4, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return new ClaimResult.Refused(null);
                int attempt = rs.getInt(2);
                if (rs.wasNull()) {
                    double seconds = rs.getDouble(4);
                    Duration leaseLeft = rs.wasNull() ? null : Duration.ofMillis(Math.max(0, Math.round(seconds * 1000)));
                    return new ClaimResult.Refused(RunStatus.valueOf(rs.getString(1)), leaseLeft);
                }
                return new ClaimResult.Claimed(new Claim(runId, attempt, workerId, rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new StoreException("claiming run " + runId, e);
        }
    }

    /**
     * Extends the lease of runs this worker holds; returns the ones it still holds (a run missing
     * from the answer ended meanwhile, was handed back, or went to another worker).
     */
    public Set<UUID> extendLeases(String workerId, Collection<UUID> runIds, Duration lease) {
        if (runIds.isEmpty()) return Set.of();
        try (Connection c = relaxed.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE runs SET lease_until = now() + make_interval(secs => ?)
                     WHERE id = ANY (?) AND status = 'RUNNING' AND worker_id = ?
                     RETURNING id""")) {
            Array ids = c.createArrayOf("uuid", runIds.toArray());
            ps.setDouble(1, lease.toMillis() / 1000.0);
            ps.setArray(2, ids);
            ps.setString(3, workerId);
            Set<UUID> kept = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) kept.add(rs.getObject(1, UUID.class));
            }
            return kept;
        } catch (SQLException e) {
            throw new StoreException("extending leases of " + workerId, e);
        }
    }

    /** Throws unless Postgres answers a trivial query within {@code timeoutSeconds} on the claims' pool. */
    public void ping(int timeoutSeconds) {
        try (Connection c = relaxed.getConnection()) {
            if (!c.isValid(timeoutSeconds)) throw new StoreException("pinging Postgres", new SQLException("connection not valid"));
        } catch (SQLException e) {
            throw new StoreException("pinging Postgres", e);
        }
    }

    /** Saves the steps done so far of a long run (a JSON array), so its progress is visible and survives. */
    public boolean checkpoint(Claim claim, List<StepOutputRecord> stepsSoFar) {
        try (Connection c = relaxed.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE runs SET checkpoint = ?::jsonb
                     WHERE id = ? AND status = 'RUNNING' AND attempt = ? AND worker_id = ?""")) {
            ps.setString(1, stepsJson(stepsSoFar));
            ps.setObject(2, claim.runId());
            ps.setInt(3, claim.attempt());
            ps.setString(4, claim.workerId());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("checkpointing run " + claim.runId(), e);
        }
    }

    /**
     * Writes the attempt's result and steps in one round trip. False when this attempt no longer holds
     * the run (its lease expired and another worker took it, or it was handed back): nothing is written.
     */
    public boolean complete(RunOutcome outcome) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(COMPLETE)) {
            ps.setString(1, outcome.status().name());
            ps.setString(2, outcome.responseJson());
            ps.setString(3, outcome.error());
            ps.setObject(4, outcome.runId());
            ps.setInt(5, outcome.attempt());
            ps.setString(6, outcome.workerId());
            ps.setString(7, stepsJson(outcome.steps()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw new StoreException("completing run " + outcome.runId(), e);
        }
    }

    /** Gives a run back to the queue (graceful shutdown): QUEUED again, to be enqueued by the caller. */
    public boolean handBack(Claim claim) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE runs SET status = 'QUEUED', worker_id = NULL, lease_until = NULL, enqueued_at = now()
                     WHERE id = ? AND status = 'RUNNING' AND attempt = ? AND worker_id = ?""")) {
            ps.setObject(1, claim.runId());
            ps.setInt(2, claim.attempt());
            ps.setString(3, claim.workerId());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("handing back run " + claim.runId(), e);
        }
    }

    /**
     * Finds open runs of {@code queue} that have no live job and marks them re-enqueued (enqueued_at =
     * now) so concurrent sweepers do not both take them: QUEUED runs enqueued before
     * {@code queuedBefore} (the consumer group has read past them, so their job is gone), and RUNNING
     * runs whose lease expired more than {@code leaseGrace} ago.
     */
    public List<LostRun> sweep(String queue, Instant queuedBefore, Duration leaseGrace, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE runs SET enqueued_at = now()
                     WHERE id IN (
                         SELECT id FROM runs
                         WHERE queue = ? AND ((status = 'QUEUED' AND enqueued_at < ?)
                                           OR (status = 'RUNNING' AND lease_until < now() - make_interval(secs => ?)))
                         ORDER BY enqueued_at LIMIT ? FOR UPDATE SKIP LOCKED)
                     RETURNING id, flow_id, flow_version_id, queue, sync, payload::text, reply_to,
                               CASE WHEN status = 'RUNNING' THEN worker_id END""")) {
            ps.setString(1, queue);
            ps.setObject(2, java.sql.Timestamp.from(queuedBefore));
            ps.setDouble(3, leaseGrace.toMillis() / 1000.0);
            ps.setInt(4, limit);
            List<LostRun> lost = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lost.add(new LostRun(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBoolean(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return lost;
        } catch (SQLException e) {
            throw new StoreException("sweeping queue " + queue, e);
        }
    }

    /** A run with its steps (inline outputs, or S3 references for large ones). */
    public Optional<RunRecord> find(UUID runId) {
        try (Connection c = dataSource.getConnection()) {
            RunRecord run;
            String checkpoint;
            try (PreparedStatement ps = c.prepareStatement(SELECT_RUN + ", payload::text, checkpoint::text FROM runs WHERE id = ?")) {
                ps.setObject(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    run = run(rs, rs.getString(15), List.of());
                    checkpoint = rs.getString(16);
                }
            }
            List<StepOutputRecord> steps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT position, step_name, status, output::text, output_ref, error, duration_us
                    FROM step_outputs WHERE run_id = ? ORDER BY position""")) {
                ps.setObject(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        steps.add(new StepOutputRecord(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getLong(7)));
                    }
                }
            }
            // A long run still going shows the steps of its last checkpoint.
            if (steps.isEmpty() && checkpoint != null) steps = checkpointSteps(checkpoint);
            return Optional.of(withSteps(run, steps));
        } catch (SQLException e) {
            throw new StoreException("reading run " + runId, e);
        }
    }

    /** How many runs are QUEUED and RUNNING right now (a partial index covers exactly these). */
    public java.util.Map<RunStatus, Long> countOpen() {
        java.util.Map<RunStatus, Long> counts = new java.util.EnumMap<>(RunStatus.class);
        counts.put(RunStatus.QUEUED, 0L);
        counts.put(RunStatus.RUNNING, 0L);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT status, count(*) FROM runs WHERE status IN ('QUEUED', 'RUNNING') GROUP BY status");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) counts.put(RunStatus.valueOf(rs.getString(1)), rs.getLong(2));
            return counts;
        } catch (SQLException e) {
            throw new StoreException("counting open runs", e);
        }
    }

    /** The flow's most recent runs, newest first, without payloads or steps. */
    public List<RunRecord> listByFlow(String flowId, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT_RUN + " FROM runs WHERE flow_id = ? ORDER BY created_at DESC LIMIT ?")) {
            ps.setString(1, flowId);
            ps.setInt(2, limit);
            List<RunRecord> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) runs.add(run(rs, null, List.of()));
            }
            return runs;
        } catch (SQLException e) {
            throw new StoreException("listing runs of flow " + flowId, e);
        }
    }

    private static RunRecord run(ResultSet rs, String payload, List<StepOutputRecord> steps) throws SQLException {
        return new RunRecord(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                RunStatus.valueOf(rs.getString(6)), rs.getBoolean(7), rs.getInt(8), rs.getString(9),
                instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)),
                rs.getString(13), rs.getString(14), payload, steps);
    }

    private static RunRecord withSteps(RunRecord r, List<StepOutputRecord> steps) {
        return new RunRecord(r.id(), r.flowId(), r.flowVersionId(), r.projectId(), r.queue(), r.status(), r.sync(),
                r.attempt(), r.workerId(), r.createdAt(), r.startedAt(), r.finishedAt(), r.responseJson(), r.error(),
                r.payloadJson(), steps);
    }

    private static List<StepOutputRecord> checkpointSteps(String json) {
        List<StepOutputRecord> steps = new ArrayList<>();
        try {
            for (JsonNode s : MAPPER.readTree(json)) {
                JsonNode o = s.get("o");
                steps.add(new StepOutputRecord(s.path("p").asInt(), s.path("n").asText(), s.path("s").asText(),
                        o == null || o.isNull() ? null : o.toString(), text(s.get("r")), text(s.get("e")), s.path("d").asLong()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint is not JSON", e);
        }
        return steps;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Steps as the JSON array the COMPLETE statement unpacks; outputs are embedded as raw JSON. */
    static String stepsJson(List<StepOutputRecord> steps) {
        StringWriter out = new StringWriter(64 + steps.size() * 96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (StepOutputRecord s : steps) {
                g.writeStartObject();
                g.writeNumberField("p", s.position());
                g.writeStringField("n", s.stepName());
                g.writeStringField("s", s.status());
                g.writeFieldName("o");
                if (s.outputJson() == null) g.writeNull(); else g.writeRawValue(s.outputJson());
                g.writeStringField("r", s.outputRef());
                g.writeStringField("e", s.error());
                g.writeNumberField("d", s.durationMicros());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
