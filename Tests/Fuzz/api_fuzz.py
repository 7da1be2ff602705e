"""Fuzzes every operation of `kouzi serve`'s API description with Schemathesis against a seeded server.

Usage: python3 Tests/Fuzz/api_fuzz.py --kouzi .build/release/kouzi [--examples N] [--seed S] [--report FILE]

A fresh server (SQLite, a temporary data directory) gets a dataset with two versions, a trained and registered
model, a deployment answering inference, and a run; their ids become the path parameters of every operation
(`parameters` in the generated schemathesis.toml), so the generated bodies and queries reach the handlers rather
than a 404. Schemathesis then runs its fuzzing phase, deterministic, with the checks that the server
never answers 5xx, that every answer conforms to the description (status, content type, headers, body
schema), that requests the description admits are accepted and that requests it rules out are refused (the
operations whose acceptance also depends on the state a request refers to may answer 400: REFERS_TO_STATE). Revoking tokens and removing users are left out: they would take the fuzzer's own access away. (The
coverage phase of Schemathesis 4.32 stops with an error of its own on this description: "AST constructor recursion
depth mismatch" inside its schema walk, so it is not run.)
Exits non-zero on any failure; prints the number of requests sent.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Console"))

from console_api import CLASSES, Api, infer_body, table_csv  # noqa: E402
from console_server import KouziServer  # noqa: E402

# Every check Schemathesis has (server errors; status, media type, headers and body as described; requests the
# description admits accepted and those it rules out refused; authentication not ignored; …).
CHECKS = ["all"]

# Operations whose schema-valid requests may still be refused with 400, because what makes them acceptable is not the
# shape of the request but the state it refers to or a limit a schema cannot state (docs/platform.md lists them).
REFERS_TO_STATE = {
    "previewCleaning": "steps name columns of the version and each operation has its own fields",
    "cleanDatasetVersion": "steps name columns of the version and each operation has its own fields",
    "checkDatasetQuality": "constraints name columns of the version",
    "createLabelTask": "the dataset needs a label schema first",
    "annotate": "the label must be one of the dataset's classes, the item one of the task's",
    "exportLabels": "the task needs at least one annotation",
    "setLabelSchema": "classes are required exactly when the type is 'classes'",
    "promoteDeploymentVariant": "the variant must be one of the deployment's",
    "setDeploymentSplit": "versions must exist; a shadow has weight 0 and some variant that is not a shadow a positive one",
    "recommend": "the deployment must serve a recommender, the ratings match the history",
    "similarItems": "the deployment must serve a recommender",
    "submitTrainingJob": "the template, target column and hyper-parameters must fit the dataset",
    "submitTuningJob": "the template, target column and search space must fit the dataset",
    "submitEvaluation": "the model version and dataset version must exist and fit each other",
    "submitPrediction": "the model version and dataset version must exist and fit each other",
    "registerModelVersion": "the body must be a model package; lineage names a dataset and its version together",
    "uploadFile": "an upload has at least one byte",
    "uploadDatasetVersion": "the bytes must be a file of the named format",
    "createDatasetVersion": "files name earlier uploads by their SHA-256 and must make a dataset of the format",
    "downloadRunArtifact": "a path has at most 32 parts and 1,024 bytes of UTF-8, which a pattern cannot count",
    "listRunArtifacts": "a folder has at most 32 parts and 1,024 bytes of UTF-8, which a pattern cannot count",
    "createDeployment": "the model version (or alias) must exist",
    "setDeploymentMonitoring": "minimumRows is at most windowRows",
    "v2Infer": "inputs must match the served model's inputs (names, datatypes, shapes)",
    "v2InferVersion": "inputs must match the served model's inputs (names, datatypes, shapes)",
    "submitExplanation": "the model version must exist with a Kouzi package and the dataset version hold table or images data",
    "v2Explain": "inputs must match the served model's inputs, and the method the model's kind (a target names one of its classes)",
    "v2ExplainVersion": "inputs must match the served model's inputs, and the method the model's kind (a target names one of its classes)",
}
ACCEPTED_WITH_STATE = ["2xx", "3xx", "400", "401", "403", "404", "409", "413", "422", "429"]
EXCLUDED = r"^/(api/v1/tokens/\{token\}|api/v1/users.*)$"


def seed(api, token):
    """A dataset (two versions, then one with unlabelled rows and a labelling task), a model trained on it, deployed and
    evaluated, a console session, and the ids the fuzzer's paths use."""
    project = api.default_project()
    base = f"/api/v1/projects/{project}"
    dataset = api.post(base + "/datasets", {"name": "fuzz-data", "description": "fuzzing"})
    api.post(f"{base}/datasets/{dataset['id']}/versions/upload", table_csv(200, seed=3),
             query={"format": "csv", "filename": "rows.csv", "target": "label"})
    api.post(f"{base}/datasets/{dataset['id']}/versions/1/clean", {"steps": [{"op": "dropDuplicates"}]})
    job = api.post(base + "/jobs", {"template": "logistic_regression", "target": "label", "model": "fuzz-model",
                                    "dataset": {"id": dataset["id"], "version": 1}, "hyperparameters": {"epochs": 3}})
    job = wait_for_job(api, base, job["id"])
    model = job["modelID"]
    api.post(base + "/deployments", {"name": "fuzz-deployment", "model": model, "version": "1"})
    deadline = time.monotonic() + 60
    while True:
        try:
            api.get("/v2/models/fuzz-deployment/ready")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    api.post("/v2/models/fuzz-deployment/infer", infer_body([[1.0, 2.0, 3.0, 4.0]]))
    evaluation = api.post(base + "/evaluations", {"model": model, "version": "1",
                                                  "dataset": {"id": dataset["id"], "version": 1}})
    wait_for_job(api, base, evaluation["id"])
    report = api.get(base + "/evaluations")[0]
    # Rows without a label, a label schema and a labelling task over them.
    api.put(f"{base}/datasets/{dataset['id']}/label-schema", {"type": "classes", "classes": CLASSES, "column": "label"})
    lines = table_csv(40, seed=5).decode().splitlines()
    unlabelled = [lines[0]] + [line.rsplit(",", 1)[0] + "," for line in lines[1:21]] + lines[21:]
    version = api.post(f"{base}/datasets/{dataset['id']}/versions/upload", ("\n".join(unlabelled) + "\n").encode(),
                       query={"format": "csv", "filename": "unlabelled.csv"})
    task = api.post(f"{base}/datasets/{dataset['id']}/versions/{version['number']}/label-tasks", {"annotationsPerItem": 2})
    session = start_console_session(api, token)
    return {"path.project": project, "path.dataset": dataset["id"], "path.version": 1, "path.model": model,
            "path.job": job["id"], "path.run": job["runID"], "path.deployment": "fuzz-deployment",
            "path.name": "fuzz-deployment", "path.alias": "production", "path.experiment": 1,
            "path.evaluation": report["id"], "path.key": "loss", "path.task": task["id"], "path.session": session,
            "path.target": "fuzz-deployment:predict"}


def wait_for_job(api, base, job_id):
    """Polls a job until it ends; raises unless it succeeded."""
    deadline = time.monotonic() + 120
    while True:
        job = api.get(f"{base}/jobs/{job_id}")
        if job["state"] in ("succeeded", "failed", "cancelled"):
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"the seeding job did not finish: {job}")
        time.sleep(0.2)
    if job["state"] != "succeeded":
        raise RuntimeError(f"the seeding job ended {job['state']}: {job.get('error')}")
    return job


def start_console_session(api, token):
    """Signs in to the console with the token (a session of its own) and returns the session's id."""
    before = {item["id"] for item in api.get("/api/v1/sessions")}
    form = urllib.parse.urlencode({"token": token}).encode()
    request = urllib.request.Request(api.base_url + "/login", data=form, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
    try:
        opener.open(request, timeout=30).close()
    except urllib.error.HTTPError as error:
        if error.code != 303 and error.code != 302:
            raise
    started = [item["id"] for item in api.get("/api/v1/sessions") if item["id"] not in before]
    if not started:
        raise RuntimeError("signing in to the console started no session")
    return started[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kouzi", required=True)
    parser.add_argument("--examples", type=int, default=460, help="examples per operation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--checks", default=",".join(CHECKS), help="Schemathesis checks (comma-separated, or all)")
    parser.add_argument("--operation", action="append", default=[], help="fuzz only this operation id (repeatable)")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="kouzi-fuzz-")
    server = KouziServer(os.path.abspath(args.kouzi), data, os.path.join(data, "server.log"))
    try:
        server.start()
        api = Api(server.url, token=server.token)
        parameters = seed(api, server.token)
        config = os.path.join(data, "schemathesis.toml")
        with open(config, "w") as file:
            file.write("[parameters]\n")
            for key, value in parameters.items():
                file.write(f"{json.dumps(key)} = {json.dumps(value)}\n")
            # The file download's {name} is a file of version 1, not the deployment the other {name}s are.
            file.write('\n[[operations]]\ninclude-operation-id = "downloadDatasetFile"\n'
                       'parameters = { "path.name" = "rows.csv" }\n')
            for operation in sorted(REFERS_TO_STATE):
                file.write(f"\n[[operations]]\ninclude-operation-id = {json.dumps(operation)}\n"
                           f"checks.positive_data_acceptance.expected-statuses = {json.dumps(ACCEPTED_WITH_STATE)}\n")
        # The Python running this script is the one scripts/setup.sh installed Schemathesis into.
        command = [sys.executable, "-m", "schemathesis.cli", "--config-file", config, "run", server.url + "/openapi.json",
                   "--header", f"Authorization: Bearer {server.token}", "--checks", args.checks,
                   "--max-examples", str(args.examples), "--seed", str(args.seed), "--generation-deterministic",
                   "--phases", "examples,fuzzing", "--workers", str(args.workers),
                   "--exclude-path-regex", EXCLUDED, "--no-color"]
        for operation in args.operation:
            command += ["--include-operation-id", operation]
        environment = dict(os.environ, SCHEMATHESIS_HOOKS="api_fuzz_hooks",
                           PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
        started = time.monotonic()
        run = subprocess.run(command, env=environment, capture_output=True, text=True)
        output = run.stdout + run.stderr
        cases = re.search(r"(\d+) generated", output)
        summary = output[output.rfind("SUMMARY"):] if "SUMMARY" in output else output[-4000:]
        print(summary.strip())
        requests = int(cases.group(1)) if cases else 0
        print(f"api fuzz: {requests} requests over the API description in {time.monotonic() - started:.0f} s, "
              f"exit status {run.returncode}")
        if run.returncode != 0:
            print(output[-20000:], file=sys.stderr)
            state = "still running" if server.running() else f"exited with status {server.process.returncode}"
            print(f"api fuzz: the server is {state}; the end of its log:\n{server.log_tail(120)}", file=sys.stderr)
            sys.exit(1)
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
