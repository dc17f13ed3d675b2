#!/usr/bin/env python3
"""Checks installer/cluster/ the way a reviewer would before running it on a real cluster.

- Dockerfile: Debian 12 stages, the final image installs our .deb (built by CPack), runs
  hlsforge-cli as a non-root user, and no ENV/ARG sets anything that looks like a secret.
- kubernetes.yaml, filled in as run-kubernetes.sh fills it: parses as YAML; the encode Job is
  Indexed with completions = the index count, the configured parallelism,
  backoffLimitPerIndex, a podFailurePolicy, restartPolicy Never; every step runs the CLI command
  it should; credentials only by reference (a ServiceAccount, an optional Secret).
- aws-batch-job-definition.json: parses; `encode --plan Ref::plan`; a job role; no keys in its
  environment; retries; valid against botocore's RegisterJobDefinition model when botocore is
  installed. submit-aws-batch.sh: an array job and a dependent assemble job.
- The shell scripts pass `bash -n`; every ${VAR} of the manifest is set by run-kubernetes.sh.
Usage: check-deploy-files.py SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys

import yaml

root = os.path.join(sys.argv[1], "installer", "cluster")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def read(name):
    with open(os.path.join(root, name), encoding="utf-8") as f:
        return f.read()


SECRET = re.compile(r"(SECRET|PASSWORD|TOKEN|ACCESS_KEY|PRIVATE)", re.I)

# --- Dockerfile
docker = read("Dockerfile")
lines = [l.strip() for l in docker.splitlines() if l.strip() and not l.strip().startswith("#")]
froms = [l.split()[1] for l in lines if l.upper().startswith("FROM ")]
check(len(froms) >= 1 and all(f.startswith("debian:12") for f in froms),
      f"Dockerfile: every stage FROM debian:12 (got {froms})")
final = docker[docker.rfind("\nFROM "):]
check(re.search(r"apt-get install[^\n]*(\\\n[^\n]*)*\.deb", final) is not None,
      "Dockerfile: the final stage installs the .deb with apt-get")
check("cpack -G DEB" in docker, "Dockerfile: the .deb is made by CPack (installer/)")
check(re.search(r'^ENTRYPOINT \["hlsforge-cli"\]', final, re.M) is not None,
      "Dockerfile: ENTRYPOINT hlsforge-cli")
users = re.findall(r"^USER (\S+)", final, re.M)
check(users and users[-1] not in ("root", "0"), "Dockerfile: runs as a non-root user")
for l in lines:
    word = l.split()[0].upper()
    if word in ("ENV", "ARG"):
        for name in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*=", l) or l.split()[1:2]:
            check(not SECRET.search(name), f"Dockerfile: {word} {name} looks like a secret")

# --- Kubernetes
values = {"IMAGE": "registry.example.com/hlsforge:0.1.0", "SOURCE": "s3://media/in/film.mov",
          "OUTPUT": "s3://media/out/film", "LADDER": "web", "INDICES": "121",
          "PARALLELISM": "10", "RUN": "test", "ROLE_ARN": "arn:aws:iam::123456789012:role/x",
          "CHUNK_SECONDS": "60"}
manifest = read("kubernetes.yaml")
used = set(re.findall(r"\$\{([A-Z_]+)\}", manifest))
script = read("run-kubernetes.sh")
for var in sorted(used):
    check(re.search(rf"\b{var}=", script) is not None,
          f"run-kubernetes.sh does not set ${{{var}}} used in kubernetes.yaml")
filled = re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m.group(1)], manifest)
docs = [d for d in yaml.safe_load_all(filled) if d]
kinds = [(d["kind"], d["metadata"]["name"]) for d in docs]
check([k for k, _ in kinds] == ["ServiceAccount", "Job", "Job", "Job"],
      f"kubernetes.yaml: ServiceAccount + plan, encode, assemble Jobs (got {kinds})")
jobs = {d["metadata"]["name"].split("-")[1]: d for d in docs if d["kind"] == "Job"}
encode = jobs.get("encode", {}).get("spec", {})
check(encode.get("completionMode") == "Indexed", "encode Job: completionMode Indexed")
check(encode.get("completions") == 121, "encode Job: completions = INDICES (an integer)")
check(encode.get("parallelism") == 10, "encode Job: parallelism = PARALLELISM (an integer)")
check(isinstance(encode.get("backoffLimitPerIndex"), int), "encode Job: backoffLimitPerIndex")
check("backoffLimitPerIndex" in manifest and "1.29" in manifest,
      "kubernetes.yaml: says backoffLimitPerIndex needs Kubernetes 1.29")
rules = encode.get("podFailurePolicy", {}).get("rules", [])
check(any(r.get("action") == "Ignore" for r in rules), "encode Job: disruptions ignored")
for step, command in (("plan", "plan"), ("encode", "encode"), ("assemble", "assemble")):
    pod = jobs.get(step, {}).get("spec", {}).get("template", {}).get("spec", {})
    check(pod.get("restartPolicy") == "Never", f"{step} Job: restartPolicy Never")
    check(pod.get("serviceAccountName") == "hlsforge", f"{step} Job: the hlsforge ServiceAccount")
    for c in pod.get("containers", []):
        check(c.get("image") == values["IMAGE"], f"{step} Job: the image")
        check((c.get("args") or [None])[0] == command, f"{step} Job: runs `{command}`")
        for env in c.get("env", []):
            check(not (SECRET.search(env.get("name", "")) and "value" in env),
                  f"{step} Job: {env.get('name')} set in the manifest")
        for ref in c.get("envFrom", []):
            check("secretRef" in ref, f"{step} Job: envFrom only from a Secret")
encodeArgs = jobs["encode"]["spec"]["template"]["spec"]["containers"][0]["args"]
check("--index" not in encodeArgs, "encode Job: the index comes from JOB_COMPLETION_INDEX")
check(encodeArgs[1:3] == ["--plan", "s3://media/out/film/plan.json"], "encode Job: --plan")

# --- AWS Batch
definition = json.loads(read("aws-batch-job-definition.json"))
container = definition["containerProperties"]
check(container["command"][:3] == ["encode", "--plan", "Ref::plan"],
      "job definition: encode --plan Ref::plan")
check("plan" in definition.get("parameters", {}), "job definition: a default for Ref::plan")
check(container.get("jobRoleArn", "").startswith("arn:aws:iam::"), "job definition: a job role")
for env in container.get("environment", []):
    check(not SECRET.search(env["name"]), f"job definition: {env['name']} in its environment")
check(definition.get("retryStrategy", {}).get("attempts", 1) >= 2, "job definition: retries")
submit = read("submit-aws-batch.sh")
check("--array-properties" in submit and '"size=$INDICES"' in submit,
      "submit-aws-batch.sh: an array job of INDICES children")
check(re.search(r"--depends-on \"jobId=\$ENCODE\"", submit) is not None,
      "submit-aws-batch.sh: assemble depends on the array job")
check('"assemble"' in submit, "submit-aws-batch.sh: the assemble command")
try:
    import botocore.session
    from botocore.validate import ParamValidator

    model = botocore.session.get_session().get_service_model("batch")
    report = ParamValidator().validate(definition,
                                       model.operation_model("RegisterJobDefinition").input_shape)
    check(not report.has_errors(), "job definition vs botocore: " + report.generate_report())
    report = ParamValidator().validate(
        {"jobName": "x-encode", "jobQueue": "q", "jobDefinition": "hlsforge",
         "arrayProperties": {"size": 121}, "parameters": {"plan": "s3://b/p/plan.json"}},
        model.operation_model("SubmitJob").input_shape)
    check(not report.has_errors(), "submit-job vs botocore: " + report.generate_report())
    print("check-deploy-files: AWS Batch JSON validated against botocore", botocore.__version__)
except ImportError:
    print("check-deploy-files: botocore not installed; AWS Batch JSON checked by hand only")

for name in ("run-kubernetes.sh", "submit-aws-batch.sh"):
    r = subprocess.run(["bash", "-n", os.path.join(root, name)], capture_output=True, text=True)
    check(r.returncode == 0, f"{name}: bash -n: {r.stderr.strip()}")

for f in failures:
    print("FAIL:", f)
print(f"check-deploy-files: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
