#!/usr/bin/env python3
"""Drives a Kouzi server with the stock mlflow client only, and checks what comes back.

Usage: python3 scripts/mlflow_client_check.py TRACKING_URI [TOKEN] [OUTPUT_JSON]
  TRACKING_URI  http://HOST:PORT/mlflow/projects/PROJECT (or $MLFLOW_TRACKING_URI)
  TOKEN         a Kouzi API token (or $MLFLOW_TRACKING_TOKEN)
  OUTPUT_JSON   where to write the ids it created (experiment, run, model), for the caller's own checks

Exits 0 when every call behaves as MLflow's own server would, else 1 with a message naming the mismatch.
"""
import json
import os
import sys
import tempfile

import mlflow
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient


def check(condition, message):
    if not condition:
        print(f"mlflow_client_check: MISMATCH: {message}", file=sys.stderr)
        sys.exit(1)


def main():
    uri = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MLFLOW_TRACKING_URI")
    token = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("MLFLOW_TRACKING_TOKEN")
    output = sys.argv[3] if len(sys.argv) > 3 else None
    check(uri, "give the tracking URI as the first argument or MLFLOW_TRACKING_URI")
    if token:
        os.environ["MLFLOW_TRACKING_TOKEN"] = token
    mlflow.set_tracking_uri(uri)
    client = MlflowClient()

    experiment = mlflow.set_experiment("churn-mlflow")
    check(experiment.name == "churn-mlflow", f"set_experiment returned {experiment.name}")
    check(mlflow.set_experiment("churn-mlflow").experiment_id == experiment.experiment_id,
          "set_experiment on an existing name created another experiment")

    with mlflow.start_run(run_name="baseline") as run:
        run_id = run.info.run_id
        check(len(run_id) == 32 and all(c in "0123456789abcdef" for c in run_id), f"run id {run_id}")
        mlflow.log_param("lr", "0.01")
        mlflow.log_params({"epochs": 3, "optimizer": "adam"})
        for step, loss in enumerate([0.9, 0.5, 0.3]):
            mlflow.log_metric("loss", loss, step=step)
        mlflow.log_metrics({"accuracy": 0.91}, step=2)
        mlflow.set_tag("team", "growth")
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "notes.txt")
            with open(path, "w") as f:
                f.write("kouzi tracks this run\n")
            mlflow.log_artifact(path)
            mlflow.log_artifact(path, artifact_path="reports")
            odd = os.path.join(folder, "my file é.txt")
            with open(odd, "w") as f:
                f.write("spaces and accents\n")
            mlflow.log_artifact(odd, artifact_path="dir with space/données")
        try:
            mlflow.log_param("lr", "0.02")
            check(False, "changing a logged parameter was accepted")
        except MlflowException as error:
            check(error.error_code == "INVALID_PARAMETER_VALUE", f"changing a parameter answered {error.error_code}")

    finished = client.get_run(run_id)
    check(finished.info.status == "FINISHED", f"run status {finished.info.status}")
    check(finished.info.run_name == "baseline", f"run name {finished.info.run_name}")
    check(finished.data.params == {"lr": "0.01", "epochs": "3", "optimizer": "adam"}, f"params {finished.data.params}")
    check(finished.data.metrics == {"loss": 0.3, "accuracy": 0.91}, f"metrics {finished.data.metrics}")
    check(finished.data.tags.get("team") == "growth", f"tags {finished.data.tags}")

    history = client.get_metric_history(run_id, "loss")
    check([(m.step, m.value) for m in history] == [(0, 0.9), (1, 0.5), (2, 0.3)],
          f"loss history {[(m.step, m.value) for m in history]}")

    listed = sorted((a.path, a.is_dir) for a in client.list_artifacts(run_id))
    check(listed == [("dir with space", True), ("notes.txt", False), ("reports", True)], f"artifacts {listed}")
    deep = [a.path for a in client.list_artifacts(run_id, "dir with space/données")]
    check(deep == ["dir with space/données/my file é.txt"], f"artifacts under 'dir with space/données' {deep}")
    nested = [a.path for a in client.list_artifacts(run_id, "reports")]
    check(nested == ["reports/notes.txt"], f"artifacts under reports {nested}")
    with tempfile.TemporaryDirectory() as folder:
        local = client.download_artifacts(run_id, "notes.txt", folder)
        with open(local) as f:
            check(f.read() == "kouzi tracks this run\n", "downloaded artifact differs")
        local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="reports", dst_path=folder)
        check(os.path.exists(os.path.join(local, "notes.txt")), "downloading the reports folder lost notes.txt")
        local = client.download_artifacts(run_id, "dir with space/données/my file é.txt", folder)
        with open(local) as f:
            check(f.read() == "spaces and accents\n", "the artifact with spaces and accents differs")

    found = mlflow.search_runs(experiment_ids=[experiment.experiment_id], filter_string="params.lr = '0.01'",
                               output_format="list")
    check([r.info.run_id for r in found] == [run_id], f"search by param found {[r.info.run_id for r in found]}")
    none = mlflow.search_runs(experiment_ids=[experiment.experiment_id], filter_string="params.lr = '0.5'",
                              output_format="list")
    check(none == [], "search by another param value found runs")
    better = client.search_runs([experiment.experiment_id], filter_string="metrics.accuracy > 0.9")
    check([r.info.run_id for r in better] == [run_id], "search by metric")

    try:
        client.get_run("0" * 32)
        check(False, "an unknown run was found")
    except MlflowException as error:
        check(error.error_code == "RESOURCE_DOES_NOT_EXIST", f"unknown run answered {error.error_code}")
    check(client.get_experiment_by_name("no-such-experiment") is None, "get_experiment_by_name of an unknown name")

    model = client.create_registered_model("churn-classifier", description="churn model from MLflow")
    check(model.name == "churn-classifier", f"registered model {model.name}")
    version = client.create_model_version("churn-classifier", source=f"runs:/{run_id}/model", run_id=run_id)
    check(version.version == "1" or version.version == 1, f"model version {version.version}")
    client.set_registered_model_alias("churn-classifier", "champion", version.version)
    by_alias = client.get_model_version_by_alias("churn-classifier", "champion")
    check(str(by_alias.version) == "1" and by_alias.run_id == run_id, f"alias resolved to {by_alias.version} / {by_alias.run_id}")
    check(by_alias.source == f"runs:/{run_id}/model", f"source {by_alias.source}")
    got = client.get_registered_model("churn-classifier")
    check(got.aliases == {"champion": "1"} or got.aliases == {"champion": 1}, f"aliases {got.aliases}")
    versions = client.search_model_versions("name = 'churn-classifier'")
    check([str(v.version) for v in versions] == ["1"], f"search_model_versions {[v.version for v in versions]}")
    try:
        client.create_registered_model("churn-classifier")
        check(False, "a duplicate registered model was accepted")
    except MlflowException as error:
        check(error.error_code == "RESOURCE_ALREADY_EXISTS", f"duplicate model answered {error.error_code}")

    if output:
        with open(output, "w") as f:
            json.dump({"experiment_id": experiment.experiment_id, "run_id": run_id, "model": "churn-classifier"}, f)
    print(f"mlflow_client_check: OK (mlflow {mlflow.__version__}, run {run_id})")


if __name__ == "__main__":
    main()
