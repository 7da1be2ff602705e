"""Seeds a fresh server with realistic data through the JSON API, plus a day of monitoring history in SQLite.

What it leaves (the ids are returned, and kept in the data directory for --skip-seed):
  - dataset "equipment-sensors": version 1 uploaded raw (missing cells, duplicate rows), version 2 cleaned from it;
    dataset "equipment-holdout": a labelled test set;
  - 100 training jobs on version 2: 20 register versions of the model "equipment-classifier", 39 logistic-regression
    and 39 MLP runs of a sweep register into "lr-sweep" and "mlp-sweep", and 2 more of the sweep are cancelled while
    queued;
  - one evaluation job of an equipment-classifier version on the holdout set, and explanation jobs (column
    importances) of that version and the newest on it;
  - an image model ("squares", a small CNN on 8×8 IDX images) and a text model ("reviews", an LSTM on short
    reviews), each deployed under its name, for the try-it panel's heat maps and token colours;
  - the deployment "equipment-prod" (a control/candidate split of two versions) that has answered 200 V2 inference
    requests (the later ones drifted, a few refused) with feedback on many of them;
  - 1,440 rows of monitoring_snapshots (one a minute over the last 24 hours), one resolved drift alert, and (where
    the schema has the table) 1,440 rows of traffic_minutes for the latency, rate, error and batch charts.
"""

import json
import math
import os
import random
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

from console_api import CLASSES, FEATURES, ApiError, infer_body, reviews_csv, squares_idx, table_csv, table_rows
from console_support import say

MODEL = "equipment-classifier"
DEPLOYMENT = "equipment-prod"
JOBS = 100
MODEL_JOBS = 20
CANCELLED_JOBS = 2
INFER_REQUESTS = 200
SNAPSHOTS = 24 * 60
IMAGE_DEPLOYMENT = "squares"
TEXT_DEPLOYMENT = "reviews"


def raw_csv(rows, seed):
    """The CSV of an untidy export: a few missing cells and a few rows repeated."""
    generator = random.Random(seed)
    body = table_rows(rows, seed)
    for index in generator.sample(range(len(body)), 6):
        body[index][generator.randrange(len(FEATURES))] = ""
    body.extend([list(body[i]) for i in generator.sample(range(len(body)), 4)])
    lines = [",".join(FEATURES + ["label"])] + [",".join(str(v) for v in row) for row in body]
    return ("\n".join(lines) + "\n").encode()


class Seeder:
    def __init__(self, api, data_dir):
        self.api = api
        self.data_dir = data_dir
        self.project = api.default_project()
        self.base = f"/api/v1/projects/{self.project}"
        self.timings = []

    def phase(self, name, function):
        start = time.monotonic()
        result = function()
        elapsed = time.monotonic() - start
        self.timings.append((name, elapsed))
        say(f"seed: {name}: {elapsed:.1f} s")
        return result

    def run(self):
        start = time.monotonic()
        state = {"project": self.project, "model": MODEL, "deployment": DEPLOYMENT, "features": FEATURES, "classes": CLASSES}
        state.update(self.phase("datasets", self.datasets))
        state.update(self.phase(f"{JOBS} training jobs", lambda: self.training(state)))
        state.update(self.phase("evaluation", lambda: self.evaluation(state)))
        state.update(self.phase("explanations", lambda: self.explanations(state)))
        state.update(self.phase("image and text models", self.media_models))
        state.update(self.phase("deployment", lambda: self.deployment(state)))
        state.update(self.phase(f"{INFER_REQUESTS} inference requests", lambda: self.inference(state)))
        state.update(self.phase("a day of monitoring history", lambda: self.snapshots(state)))
        state["seedSeconds"] = round(time.monotonic() - start, 1)
        say(f"seed: done in {state['seedSeconds']:.1f} s")
        return state

    # Datasets -------------------------------------------------------------------------------------------------------

    def datasets(self):
        api, base = self.api, self.base
        main = api.post(base + "/datasets", {"name": "equipment-sensors",
                                             "description": "Sensor readings of the press line, labelled by maintenance"})
        api.post(f"{base}/datasets/{main['id']}/versions/upload", raw_csv(300, seed=1),
                 query={"format": "csv", "filename": "readings.csv", "target": "label"})
        cleaned = api.post(f"{base}/datasets/{main['id']}/versions/1/clean",
                           {"steps": [{"op": "dropMissing"}, {"op": "dropDuplicates"}]})
        holdout = api.post(base + "/datasets", {"name": "equipment-holdout", "description": "Held-out test readings"})
        api.post(f"{base}/datasets/{holdout['id']}/versions/upload", table_csv(150, seed=7),
                 query={"format": "csv", "filename": "holdout.csv", "target": "label"})
        return {"dataset": main["id"], "datasetVersion": cleaned["version"]["number"], "holdout": holdout["id"]}

    # Training -------------------------------------------------------------------------------------------------------

    def submissions(self, state):
        """The 100 submissions: the model's 20 first, then the sweep interleaved."""
        generator = random.Random(11)
        dataset = {"id": state["dataset"], "version": state["datasetVersion"]}
        result = []
        for index in range(MODEL_JOBS):
            result.append({"template": "logistic_regression", "target": "label", "dataset": dataset, "model": MODEL,
                           "experiment": MODEL, "seed": index,
                           "hyperparameters": {"epochs": 15 + index % 4 * 5, "learning_rate": round(0.005 * (1 + index % 4), 4),
                                               "batch_size": 32}})
        for index in range(JOBS - MODEL_JOBS):
            if index % 2 == 0:
                result.append({"template": "logistic_regression", "target": "label", "dataset": dataset, "model": "lr-sweep",
                               "experiment": "lr-sweep", "seed": index,
                               "hyperparameters": {"epochs": generator.choice([10, 15, 20]),
                                                   "learning_rate": round(10 ** generator.uniform(-3.5, -1), 5),
                                                   "optimizer": generator.choice(["adam", "sgd", "momentum"]),
                                                   "weight_decay": generator.choice([0, 0.0001, 0.001])}})
            else:
                result.append({"template": "mlp_classifier", "target": "label", "dataset": dataset, "model": "mlp-sweep",
                               "experiment": "mlp-sweep", "seed": index,
                               "hyperparameters": {"epochs": generator.choice([8, 12, 16]),
                                                   "units": generator.choice([8, 16, 32]),
                                                   "hidden_layers": generator.choice([1, 2]),
                                                   "dropout": generator.choice([0, 0.1]),
                                                   "learning_rate": round(10 ** generator.uniform(-3, -2), 5)}})
        return result

    def training(self, state):
        api, base = self.api, self.base
        jobs = [api.post(base + "/jobs", body) for body in self.submissions(state)]
        for job in jobs[-CANCELLED_JOBS:]:
            api.post(f"{base}/jobs/{job['id']}/cancel")
        self.wait_for_jobs(timeout=240)
        finished = api.all_pages(base + "/jobs", kind="train")
        by_id = {job["id"]: job for job in finished}
        states = {}
        for job in jobs:
            states[by_id[job["id"]]["state"]] = states.get(by_id[job["id"]]["state"], 0) + 1
        say(f"seed: job states {states}")
        failed = [by_id[j["id"]] for j in jobs if by_id[j["id"]]["state"] == "failed"]
        if failed:
            raise RuntimeError(f"{len(failed)} seeded jobs failed, e.g. job {failed[0]['id']}: {failed[0].get('error')}")
        model = next(m for m in api.all_pages(base + "/models") if m["name"] == MODEL)
        versions = api.get(f"{base}/models/{model['id']}/versions")
        if len(versions) != MODEL_JOBS:
            raise RuntimeError(f"model {MODEL} has {len(versions)} versions, expected {MODEL_JOBS}")
        model_jobs = [by_id[j["id"]] for j in jobs[:MODEL_JOBS]]
        return {"modelID": model["id"], "modelVersions": len(versions),
                "jobIDs": [j["id"] for j in jobs], "modelJobIDs": [j["id"] for j in model_jobs]}

    def wait_for_jobs(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            busy = sum(len(self.api.get(self.base + "/jobs", state=s, limit=1000)) for s in ("queued", "running"))
            if busy == 0:
                return
            time.sleep(0.5)
        raise RuntimeError(f"jobs still queued or running after {timeout} s")

    # Evaluation -----------------------------------------------------------------------------------------------------

    def evaluation(self, state):
        api, base = self.api, self.base
        version = MODEL_JOBS - 1
        job = api.post(base + "/evaluations", {"model": state["modelID"], "version": str(version),
                                               "dataset": {"id": state["holdout"], "version": 1}})
        self.wait_for_jobs(timeout=60)
        job = api.get(f"{base}/jobs/{job['id']}")
        if job["state"] != "succeeded":
            raise RuntimeError(f"evaluation job {job['id']} ended {job['state']}: {job.get('error')}")
        reports = [e for e in api.get(base + "/evaluations", model=state["modelID"]) if e.get("jobID") == job["id"]]
        if not reports:
            raise RuntimeError(f"evaluation job {job['id']} left no report")
        return {"evaluatedVersion": version, "evaluationJob": job["id"], "evaluation": reports[0]["id"]}

    # Explanations -------------------------------------------------------------------------------------------------

    def explanations(self, state):
        """Column importances of the evaluated version and the newest, measured on the holdout set."""
        api, base = self.api, self.base
        versions = [state["evaluatedVersion"], MODEL_JOBS]
        jobs = [api.post(base + "/explanations", {"model": state["modelID"], "version": str(version),
                                                  "dataset": {"id": state["holdout"], "version": 1}, "repeats": 5})
                for version in versions]
        self.wait_for_jobs(timeout=120)
        for job in jobs:
            job = api.get(f"{base}/jobs/{job['id']}")
            if job["state"] != "succeeded":
                raise RuntimeError(f"explanation job {job['id']} ended {job['state']}: {job.get('error')}")
        measured = api.get(f"{base}/models/{state['modelID']}/importances")
        found = sorted(v["version"] for v in measured["versions"])
        if found != sorted(versions):
            raise RuntimeError(f"importances of versions {found}, expected {sorted(versions)}")
        return {"explainedVersions": versions}

    # Image and text models ------------------------------------------------------------------------------------------

    def upload_files(self, files):
        """Stores raw files (name → bytes) through /uploads; returns the version's file list."""
        return [{"name": name, "sha256": self.api.post(self.base + "/uploads", data)["sha256"]} for name, data in files.items()]

    def media_models(self):
        """A CNN on 8×8 squares (IDX) and an LSTM on short reviews, trained, registered and deployed."""
        api, base = self.api, self.base
        squares = api.post(base + "/datasets", {"name": "squares", "description": "8×8 images: a bright square in one corner"})
        images, labels = squares_idx(400)
        api.post(f"{base}/datasets/{squares['id']}/versions", {"format": "idx", "files": self.upload_files({
            "train-images-idx3-ubyte": images, "train-labels-idx1-ubyte": labels, "classes.txt": b"tl\nbr"})})
        reviews = api.post(base + "/datasets", {"name": "reviews", "description": "Short film reviews"})
        api.post(f"{base}/datasets/{reviews['id']}/versions/upload", reviews_csv(),
                 query={"format": "csv", "filename": "reviews.csv", "target": "label"})
        jobs = [
            api.post(base + "/jobs", {"template": "cnn_image_classifier", "dataset": {"id": squares["id"], "version": 1}, "seed": 1,
                                      "model": IMAGE_DEPLOYMENT,
                                      "hyperparameters": {"epochs": 6, "conv_blocks": 1, "filters": 4, "dense_units": 16,
                                                          "learning_rate": 0.01}}),
            api.post(base + "/jobs", {"template": "lstm_text_classifier", "target": "label", "dataset": {"id": reviews["id"], "version": 1},
                                      "seed": 1, "model": TEXT_DEPLOYMENT,
                                      "hyperparameters": {"epochs": 8, "vocabulary_size": 100, "sequence_length": 8, "embedding_dim": 8,
                                                          "units": 8, "bidirectional": False, "learning_rate": 0.02}}),
        ]
        self.wait_for_jobs(timeout=120)
        models = {m["name"]: m["id"] for m in api.all_pages(base + "/models")}
        for job in jobs:
            job = api.get(f"{base}/jobs/{job['id']}")
            if job["state"] != "succeeded":
                raise RuntimeError(f"training job {job['id']} ({job['modelName']}) ended {job['state']}: {job.get('error')}")
        for name in (IMAGE_DEPLOYMENT, TEXT_DEPLOYMENT):
            api.post(base + "/deployments", {"name": name, "model": models[name], "version": "1"})
        for name in (IMAGE_DEPLOYMENT, TEXT_DEPLOYMENT):
            self.wait_ready(name)
        return {"imageDeployment": IMAGE_DEPLOYMENT, "textDeployment": TEXT_DEPLOYMENT}

    # Deployment and inference ---------------------------------------------------------------------------------------

    def deployment(self, state):
        api, base = self.api, self.base
        control, candidate = MODEL_JOBS, MODEL_JOBS - 1
        api.put(f"{base}/models/{state['modelID']}/aliases/production", {"version": control})
        api.post(base + "/deployments", {"name": DEPLOYMENT, "model": state["modelID"], "version": str(control)})
        self.wait_ready(DEPLOYMENT)
        api.put(f"{base}/deployments/{DEPLOYMENT}/split", {"variants": [
            {"name": "control", "version": str(control), "weight": 80},
            {"name": "candidate", "version": str(candidate), "weight": 20}]})
        deployment = api.get(f"{base}/deployments/{DEPLOYMENT}")
        return {"deploymentID": deployment["id"], "deployedVersion": control, "candidateVersion": candidate}

    def wait_ready(self, name, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            deployment = self.api.get(f"{self.base}/deployments/{name}")
            if deployment["state"] == "ready":
                return deployment
            if deployment["state"] == "failed":
                raise RuntimeError(f"deployment {name} failed: {deployment.get('error')}")
            time.sleep(0.1)
        raise RuntimeError(f"deployment {name} not ready after {timeout} s")

    def inference(self, state):
        """200 requests from 8 threads: single rows and batches of 8, the later ones drifted, a few refused."""
        api = self.api
        normal = table_rows(400, seed=21)
        drifted = table_rows(200, seed=22, shift=6)
        requests = []
        for index in range(INFER_REQUESTS):
            source = drifted if index >= INFER_REQUESTS * 2 // 5 else normal
            size = 8 if index % 10 == 0 else 1
            start = (index * 3) % (len(source) - size)
            rows = source[start:start + size]
            body = infer_body([row[:len(FEATURES)] for row in rows])
            body["id"] = f"seed-{index:04d}"
            if index % 40 == 39:
                body["inputs"] = body["inputs"][:-1]  # a client that forgot a column: refused with 400
            requests.append((body, [row[-1] for row in rows]))

        def send(item):
            body, labels = item
            try:
                api.post(f"/v2/models/{DEPLOYMENT}/infer", body)
                return body["id"], labels, True
            except ApiError as error:
                if error.status != 400:
                    raise
                return body["id"], labels, False

        # In waves a little over a second apart: the server evaluates the window at most once a second, so the
        # drift of the later waves reaches a stored evaluation and fires an alert.
        results = []
        waves = 5
        with ThreadPoolExecutor(max_workers=8) as pool:
            for wave in range(waves):
                if wave:
                    time.sleep(1.1)
                part = requests[wave * len(requests) // waves:(wave + 1) * len(requests) // waves]
                results.extend(pool.map(send, part))
        answered = [(rid, labels) for rid, labels, ok in results if ok]
        refused = len(results) - len(answered)
        feedback = [{"requestId": rid, "label": labels[0]} for index, (rid, labels) in enumerate(answered)
                    if len(labels) == 1 and index % 4 != 3]
        outcome = api.post(f"{self.base}/deployments/{DEPLOYMENT}/feedback", {"feedback": feedback})
        say(f"seed: {len(answered)} answered, {refused} refused, feedback matched {outcome['updated']}")
        return {"inferRequests": len(results), "inferRefused": refused}

    # Monitoring history ---------------------------------------------------------------------------------------------

    def snapshots(self, state):
        """A day of stored window evaluations, one a minute, with a drift episode between 14 and 10 hours ago."""
        generator = random.Random(5)
        now = int(time.time() * 1000)
        first = now - SNAPSHOTS * 60_000
        episode = (first + 10 * 3_600_000, first + 14 * 3_600_000)
        rows = []
        for minute in range(SNAPSHOTS):
            at = first + minute * 60_000
            drifting = episode[0] <= at < episode[1]
            features = []
            for index, name in enumerate(FEATURES):
                moved = drifting and index < 2
                psi = generator.uniform(0.15, 0.45) if moved else generator.uniform(0.002, 0.04)
                p_value = 10 ** generator.uniform(-9, -4) if moved else generator.uniform(0.05, 0.95)
                features.append({"name": name, "psi": round(psi, 5), "pValue": p_value, "drifted": moved,
                                 "missingShare": round(generator.choice([0, 0, 0, 0.001, 0.002]), 4),
                                 "outOfRangeShare": round(generator.uniform(0.02, 0.08) if moved else generator.uniform(0, 0.005), 4)})
            drifted_share = sum(f["drifted"] for f in features) / len(features)
            quality = max(f["missingShare"] + f["outOfRangeShare"] for f in features)
            # The window fills over the first hours of the day and stays full.
            window = min(1000, 100 + minute * 3)
            rows.append((state["deploymentID"], state["deployedVersion"], at, window, drifted_share,
                         1 if drifted_share >= 0.3 else 0, round(quality, 4),
                         json.dumps(features, sort_keys=True, separators=(",", ":"))))
        database = os.path.join(self.data_dir, "kouzi.sqlite")
        connection = sqlite3.connect(database, timeout=30)
        try:
            with connection:
                connection.executemany("""
                    INSERT INTO monitoring_snapshots (deployment_id, version_number, created_at, rows_count, drifted_share,
                        drift, quality_share, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", rows)
                connection.execute("""
                    INSERT INTO alerts (project_id, deployment_name, kind, state, value, threshold, message, started_at,
                        updated_at, resolved_at) VALUES (?, ?, 'drift', 'resolved', 0.5, 0.3, ?, ?, ?, ?)""",
                    (state["project"], DEPLOYMENT, "2 of 4 features drifted (50 %; alert at 30 %): temperature, pressure",
                     episode[0], episode[1] - 60_000, episode[1]))
            self.traffic(connection, first, state)
        finally:
            connection.close()
        history = self.api.get(f"{self.base}/deployments/{DEPLOYMENT}/monitoring/history", limit=10000,
                               since=first)
        seeded = [s for s in history if s["at"] <= first + (SNAPSHOTS - 1) * 60_000 and s["at"] >= first]
        if len(seeded) < SNAPSHOTS:
            raise RuntimeError(f"the history API returns {len(seeded)} of the {SNAPSHOTS} inserted snapshots")
        if not all(math.isfinite(s["driftedShare"]) for s in seeded):
            raise RuntimeError("a snapshot decoded with a non-finite share")
        return {"snapshots": len(seeded), "snapshotsFrom": first, "trafficMinutes": state.get("trafficMinutes", 0)}

    @staticmethod
    def traffic(connection, first, state):
        """The day's traffic per minute (traffic_minutes, where the schema has it): a daily rhythm of requests, about
        1 % failures, a few milliseconds of latency that grow with the load, and batches that fill up at the peak.
        Written as another process's rows, so the server's own minutes add to them."""
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "traffic_minutes" not in tables:
            return
        generator = random.Random(9)
        rows = []
        for minute in range(SNAPSHOTS):
            at = (first + minute * 60_000) // 60_000 * 60_000
            load = 0.5 + 0.4 * math.sin(2 * math.pi * (minute / SNAPSHOTS - 0.3))
            requests = max(1, int(120 * load + generator.gauss(0, 6)))
            errors = sum(1 for _ in range(requests) if generator.random() < 0.01)
            p50 = 0.0015 + 0.002 * load + generator.uniform(0, 0.0004)
            rows.append((DEPLOYMENT, at, "seeded-history", requests, errors, p50, p50 * 1.8, p50 * 3.5 + generator.uniform(0, 0.004),
                         p50 * 1.3, p50 * 0.25, 1 + 3 * load + generator.uniform(-0.3, 0.3)))
        with connection:
            connection.executemany("""
                INSERT INTO traffic_minutes (deployment_name, minute, process, requests, errors, p50, p90, p99, mean_latency,
                    queue_mean, batch_mean) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows)
        state["trafficMinutes"] = len(rows)


def seed(api, data_dir):
    return Seeder(api, data_dir).run()


def warm_up(api, state, requests=150):
    """After a restart on seeded data: the live monitoring window is per process, so answer some requests again."""
    rows = table_rows(requests, seed=41)
    name = state["deployment"]

    def send(row):
        api.post(f"/v2/models/{name}/infer", infer_body([row[:len(FEATURES)]]))

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(send, rows))
    say(f"seed: {requests} inference requests to warm up {name}: {time.monotonic() - start:.1f} s")
