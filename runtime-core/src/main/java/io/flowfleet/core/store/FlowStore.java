package io.flowfleet.core.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/** Flows and their published versions in Postgres. */
public final class FlowStore {
    private static final String SELECT_FLOW = """
            SELECT f.id, f.project_id, f.name, f.status, f.source_format, f.draft::text, f.published_version_id,
                   v.version, f.created_at, f.updated_at
            FROM flows f LEFT JOIN flow_versions v ON v.id = f.published_version_id
            """;

    private final DataSource dataSource;

    public FlowStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public FlowRecord create(String id, String projectId, String name, String sourceFormat, String draftJson) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO flows (id, project_id, name, status, source_format, draft)
                     VALUES (?, ?, ?, 'DRAFT', ?, ?::jsonb)""")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            ps.setString(3, name);
            ps.setString(4, sourceFormat);
            ps.setString(5, draftJson);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("creating flow " + id, e);
        }
        return find(id).orElseThrow();
    }

    /** Replaces the draft of a flow that is not deleted; empty when there is no such flow. */
    public Optional<FlowRecord> updateDraft(String id, String name, String sourceFormat, String draftJson) {
        int updated;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE flows SET name = ?, source_format = ?, draft = ?::jsonb, updated_at = now()
                     WHERE id = ? AND status <> 'DELETED'""")) {
            ps.setString(1, name);
            ps.setString(2, sourceFormat);
            ps.setString(3, draftJson);
            ps.setString(4, id);
            updated = ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("updating flow " + id, e);
        }
        return updated == 0 ? Optional.empty() : find(id);
    }

    public Optional<FlowRecord> find(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT_FLOW + " WHERE f.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(flow(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("reading flow " + id, e);
        }
    }

    /**
     * Records a new immutable version (its bundle already written under {@code bundleKey}) and makes
     * it the one webhooks run; the flow becomes ENABLED. Empty when the flow is missing or deleted.
     */
    public Optional<FlowVersionRecord> publish(String flowId, String versionId, String definitionJson, String bundleKey) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int next;
                try (PreparedStatement lock = c.prepareStatement(
                        "SELECT status FROM flows WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, flowId);
                    try (ResultSet rs = lock.executeQuery()) {
                        if (!rs.next() || FlowStatus.valueOf(rs.getString(1)) == FlowStatus.DELETED) {
                            c.rollback();
                            return Optional.empty();
                        }
                    }
                }
                try (PreparedStatement max = c.prepareStatement(
                        "SELECT coalesce(max(version), 0) + 1 FROM flow_versions WHERE flow_id = ?")) {
                    max.setString(1, flowId);
                    try (ResultSet rs = max.executeQuery()) {
                        rs.next();
                        next = rs.getInt(1);
                    }
                }
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO flow_versions (id, flow_id, version, definition, bundle_key)
                        VALUES (?, ?, ?, ?::jsonb, ?)""")) {
                    insert.setString(1, versionId);
                    insert.setString(2, flowId);
                    insert.setInt(3, next);
                    insert.setString(4, definitionJson);
                    insert.setString(5, bundleKey);
                    insert.executeUpdate();
                }
                try (PreparedStatement point = c.prepareStatement("""
                        UPDATE flows SET published_version_id = ?, status = 'ENABLED', updated_at = now() WHERE id = ?""")) {
                    point.setString(1, versionId);
                    point.setString(2, flowId);
                    point.executeUpdate();
                }
                c.commit();
                return Optional.of(new FlowVersionRecord(versionId, flowId, next, definitionJson, bundleKey));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("publishing flow " + flowId, e);
        }
    }

    /**
     * Enables or disables a published flow. Returns false when the flow is missing, deleted, or (to
     * enable) has never been published.
     */
    public boolean setEnabled(String id, boolean enabled) {
        String sql = enabled
                ? "UPDATE flows SET status = 'ENABLED', updated_at = now() WHERE id = ? AND status IN ('ENABLED', 'DISABLED') AND published_version_id IS NOT NULL"
                : "UPDATE flows SET status = 'DISABLED', updated_at = now() WHERE id = ? AND status IN ('ENABLED', 'DISABLED', 'DRAFT')";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException((enabled ? "enabling" : "disabling") + " flow " + id, e);
        }
    }

    /** Marks the flow deleted (kept as a tombstone so its webhooks answer 410 and its runs stay readable). */
    public boolean delete(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE flows SET status = 'DELETED', updated_at = now() WHERE id = ? AND status <> 'DELETED'")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("deleting flow " + id, e);
        }
    }

    public Optional<FlowVersionRecord> findVersion(String versionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, flow_id, version, definition::text, bundle_key FROM flow_versions WHERE id = ?")) {
            ps.setString(1, versionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new FlowVersionRecord(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new StoreException("reading flow version " + versionId, e);
        }
    }

    private static FlowRecord flow(ResultSet rs) throws SQLException {
        int version = rs.getInt(8);
        return new FlowRecord(
                rs.getString(1), rs.getString(2), rs.getString(3), FlowStatus.valueOf(rs.getString(4)), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.wasNull() ? null : version,
                instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)));
    }

    static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
