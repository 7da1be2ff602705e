/// The platform's tables. Ids are 64-bit auto-increment keys; times are milliseconds since 1970; JSON documents
/// are stored as text; file contents live in the artifact store and rows hold their sha256.
public enum Schema {
    /// Every migration, in order. Never edit a released step: add a new one.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "accounts, datasets, labelling, models") { dialect in
            let id = dialect.autoIncrementKey
            return [
                """
                CREATE TABLE users (id \(id), name TEXT NOT NULL UNIQUE, is_admin BIGINT NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE projects (id \(id), name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '',
                    created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE memberships (project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE, role TEXT NOT NULL,
                    PRIMARY KEY (project_id, user_id))
                """,
                """
                CREATE TABLE tokens (id \(id), user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, role TEXT NOT NULL,
                    created_at BIGINT NOT NULL, last_used_at BIGINT, revoked_at BIGINT)
                """,
                """
                CREATE TABLE project_blobs (project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                    sha256 TEXT NOT NULL, size BIGINT NOT NULL, created_at BIGINT NOT NULL,
                    PRIMARY KEY (project_id, sha256))
                """,
                """
                CREATE TABLE datasets (id \(id), project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                    name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', label_schema TEXT,
                    created_by BIGINT NOT NULL, created_at BIGINT NOT NULL, UNIQUE (project_id, name))
                """,
                """
                CREATE TABLE dataset_versions (id \(id),
                    dataset_id BIGINT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
                    number BIGINT NOT NULL, parent_number BIGINT, format TEXT NOT NULL, kind TEXT NOT NULL,
                    content_hash TEXT NOT NULL, files TEXT NOT NULL, size BIGINT NOT NULL, row_count BIGINT NOT NULL,
                    summary TEXT NOT NULL, profile TEXT, quality TEXT, operation TEXT NOT NULL,
                    created_by BIGINT NOT NULL, created_at BIGINT NOT NULL, UNIQUE (dataset_id, number))
                """,
                """
                CREATE TABLE label_tasks (id \(id), dataset_id BIGINT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
                    version_number BIGINT NOT NULL, label_column TEXT NOT NULL, annotations_per_item BIGINT NOT NULL,
                    status TEXT NOT NULL, item_count BIGINT NOT NULL, created_by BIGINT NOT NULL,
                    created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE label_items (task_id BIGINT NOT NULL REFERENCES label_tasks(id) ON DELETE CASCADE,
                    item_index BIGINT NOT NULL, item_key TEXT NOT NULL, content TEXT NOT NULL,
                    PRIMARY KEY (task_id, item_index))
                """,
                """
                CREATE TABLE annotations (task_id BIGINT NOT NULL REFERENCES label_tasks(id) ON DELETE CASCADE,
                    item_index BIGINT NOT NULL, user_id BIGINT NOT NULL REFERENCES users(id),
                    label TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (task_id, item_index, user_id))
                """,
                """
                CREATE TABLE models (id \(id), project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                    name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', created_by BIGINT NOT NULL,
                    created_at BIGINT NOT NULL, UNIQUE (project_id, name))
                """,
                """
                CREATE TABLE model_versions (id \(id), model_id BIGINT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    number BIGINT NOT NULL, package_hash TEXT NOT NULL, size BIGINT NOT NULL, signature TEXT NOT NULL,
                    metrics TEXT NOT NULL, tags TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                    dataset_id BIGINT, dataset_version BIGINT, run_id TEXT, created_by BIGINT NOT NULL,
                    created_at BIGINT NOT NULL, UNIQUE (model_id, number))
                """,
                """
                CREATE TABLE model_aliases (model_id BIGINT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    alias TEXT NOT NULL, version_number BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                    PRIMARY KEY (model_id, alias))
                """,
                """
                CREATE TABLE deployments (id \(id), project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                    name TEXT NOT NULL, model_id BIGINT NOT NULL REFERENCES models(id),
                    version_number BIGINT NOT NULL, status TEXT NOT NULL, created_at BIGINT NOT NULL,
                    UNIQUE (project_id, name))
                """,
                "CREATE INDEX dataset_versions_dataset ON dataset_versions (dataset_id, number)",
                "CREATE INDEX model_versions_model ON model_versions (model_id, number)",
                "CREATE INDEX annotations_item ON annotations (task_id, item_index)",
            ]
        },
        Migration(version: 2, name: "experiment tracking") { dialect in
            let id = dialect.autoIncrementKey
            return [
                """
                CREATE TABLE experiments (id \(id), project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                    name TEXT NOT NULL, lifecycle_stage TEXT NOT NULL DEFAULT 'active', artifact_location TEXT NOT NULL,
                    tags TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                    UNIQUE (project_id, name))
                """,
                """
                CREATE TABLE runs (id TEXT PRIMARY KEY,
                    experiment_id BIGINT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
                    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE, name TEXT NOT NULL,
                    user_id BIGINT NOT NULL, status TEXT NOT NULL, start_time BIGINT NOT NULL, end_time BIGINT,
                    lifecycle_stage TEXT NOT NULL DEFAULT 'active')
                """,
                """
                CREATE TABLE run_params (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL,
                    value TEXT NOT NULL, PRIMARY KEY (run_id, key))
                """,
                """
                CREATE TABLE run_tags (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL,
                    value TEXT NOT NULL, PRIMARY KEY (run_id, key))
                """,
                """
                CREATE TABLE run_metrics (id \(id), run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    key TEXT NOT NULL, value DOUBLE PRECISION NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL)
                """,
                """
                CREATE TABLE run_artifacts (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    path TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, created_at BIGINT NOT NULL,
                    PRIMARY KEY (run_id, path))
                """,
                "CREATE INDEX runs_experiment ON runs (experiment_id, start_time)",
                "CREATE INDEX run_metrics_history ON run_metrics (run_id, key, step)",
                // Versions registered through MLflow point at a source URI and carry no Kouzi package
                // (their package_hash is empty).
                "ALTER TABLE model_versions ADD COLUMN source TEXT",
            ]
        },
        Migration(version: 3, name: "training jobs, job logs, evaluations") { dialect in
            let id = dialect.autoIncrementKey
            return [
                """
                CREATE TABLE jobs (id \(id), project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL, parent_id BIGINT REFERENCES jobs(id) ON DELETE CASCADE, state TEXT NOT NULL,
                    request TEXT NOT NULL, dataset_id BIGINT NOT NULL, dataset_version BIGINT NOT NULL,
                    test_dataset_id BIGINT, test_version BIGINT, model_name TEXT, model_id BIGINT, model_version BIGINT,
                    experiment TEXT NOT NULL, run_id TEXT, progress TEXT, result TEXT, error TEXT,
                    attempts BIGINT NOT NULL DEFAULT 0, max_attempts BIGINT NOT NULL, worker TEXT, heartbeat_at BIGINT,
                    cancel_requested BIGINT NOT NULL DEFAULT 0, created_by BIGINT NOT NULL, created_at BIGINT NOT NULL,
                    started_at BIGINT, finished_at BIGINT, updated_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE job_logs (job_id BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, seq BIGINT NOT NULL,
                    at BIGINT NOT NULL, line TEXT NOT NULL, PRIMARY KEY (job_id, seq))
                """,
                """
                CREATE TABLE evaluations (id \(id), project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                    model_id BIGINT NOT NULL REFERENCES models(id) ON DELETE CASCADE, model_version BIGINT NOT NULL,
                    dataset_id BIGINT NOT NULL, dataset_version BIGINT NOT NULL, job_id BIGINT, task TEXT NOT NULL,
                    metrics TEXT NOT NULL, report TEXT NOT NULL, created_by BIGINT NOT NULL, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX jobs_queue ON jobs (state, id)",
                "CREATE INDEX jobs_project ON jobs (project_id, id)",
                "CREATE INDEX jobs_parent ON jobs (parent_id)",
                "CREATE INDEX evaluations_model ON evaluations (model_id, model_version)",
            ]
        },
        Migration(version: 4, name: "deployments follow aliases; names unique across projects") { _ in
            [
                "ALTER TABLE deployments ADD COLUMN alias TEXT",
                "ALTER TABLE deployments ADD COLUMN created_by BIGINT",
                "ALTER TABLE deployments ADD COLUMN updated_at BIGINT",
                "ALTER TABLE deployments ADD COLUMN error TEXT",
                // Open Inference Protocol paths name models without a project.
                "CREATE UNIQUE INDEX deployments_global_name ON deployments (name)",
            ]
        },
        Migration(version: 5, name: "A/B splits and recorded predictions with feedback") { _ in
            [
                """
                CREATE TABLE deployment_variants (deployment_id BIGINT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
                    name TEXT NOT NULL, version_number BIGINT NOT NULL, weight DOUBLE PRECISION NOT NULL,
                    shadow BIGINT NOT NULL DEFAULT 0, position BIGINT NOT NULL, PRIMARY KEY (deployment_id, name))
                """,
                """
                CREATE TABLE inference_records (deployment_id BIGINT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
                    request_id TEXT NOT NULL, variant TEXT NOT NULL, predicted TEXT NOT NULL, actual TEXT,
                    created_at BIGINT NOT NULL, feedback_at BIGINT, PRIMARY KEY (deployment_id, request_id, variant))
                """,
            ]
        },
        Migration(version: 6, name: "monitoring settings, drift and quality snapshots, alerts") { dialect in
            let id = dialect.autoIncrementKey
            return [
                "ALTER TABLE deployments ADD COLUMN monitoring TEXT",
                """
                CREATE TABLE monitoring_snapshots (id \(id), deployment_id BIGINT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
                    version_number BIGINT NOT NULL, created_at BIGINT NOT NULL, rows_count BIGINT NOT NULL,
                    drifted_share DOUBLE PRECISION NOT NULL, drift BIGINT NOT NULL, quality_share DOUBLE PRECISION NOT NULL,
                    summary TEXT NOT NULL)
                """,
                "CREATE INDEX monitoring_snapshots_deployment ON monitoring_snapshots (deployment_id, created_at)",
                """
                CREATE TABLE alerts (id \(id), project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                    deployment_name TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,
                    threshold DOUBLE PRECISION NOT NULL, message TEXT NOT NULL, started_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL, resolved_at BIGINT)
                """,
                // One firing alert per deployment and kind, even with several processes evaluating.
                "CREATE UNIQUE INDEX alerts_firing ON alerts (deployment_name, kind) WHERE state = 'firing'",
                "CREATE INDEX alerts_project ON alerts (project_id, id)",
            ]
        },
        Migration(version: 7, name: "traffic per deployment and minute") { _ in
            [
                """
                CREATE TABLE traffic_minutes (deployment_name TEXT NOT NULL, minute BIGINT NOT NULL, process TEXT NOT NULL,
                    requests BIGINT NOT NULL, errors BIGINT NOT NULL, p50 DOUBLE PRECISION, p90 DOUBLE PRECISION,
                    p99 DOUBLE PRECISION, mean_latency DOUBLE PRECISION, queue_mean DOUBLE PRECISION, batch_mean DOUBLE PRECISION,
                    PRIMARY KEY (deployment_name, minute, process))
                """,
                "CREATE INDEX traffic_minutes_minute ON traffic_minutes (minute)",
            ]
        },
        Migration(version: 8, name: "console sessions") { dialect in
            [
                """
                CREATE TABLE sessions (id \(dialect.autoIncrementKey), token_id BIGINT NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
                    secret_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, user_agent TEXT NOT NULL, created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, revoked_at BIGINT)
                """,
                "CREATE INDEX sessions_token ON sessions (token_id)",
            ]
        },
    ]
}
