#!/usr/bin/env bash
# One chunked encode on Kubernetes: the plan Job, then the Indexed Job with as many completions
# as the plan has indices, then the assemble Job (kubernetes.yaml, filled in with envsubst).
#
#   IMAGE=registry.example.com/hlsforge:0.1.0 ROLE_ARN=arn:aws:iam::123456789012:role/hlsforge \
#   installer/cluster/run-kubernetes.sh s3://media/in/film.mov s3://media/out/film [web] [8]
set -euo pipefail
export SOURCE=${1:?usage: run-kubernetes.sh s3://BUCKET/SOURCE s3://BUCKET/PREFIX [LADDER] [PARALLELISM]}
export OUTPUT=${2:?usage: run-kubernetes.sh s3://BUCKET/SOURCE s3://BUCKET/PREFIX [LADDER] [PARALLELISM]}
export LADDER=${3:-web} PARALLELISM=${4:-8}
export IMAGE=${IMAGE:?set IMAGE to the image built from installer/cluster/Dockerfile}
export ROLE_ARN=${ROLE_ARN:-none} CHUNK_SECONDS=${CHUNK_SECONDS:-60}
export RUN=${RUN:-$(date +%Y%m%d%H%M%S)}
export INDICES=1 # filled in once the plan is made
here=$(cd "$(dirname "$0")" && pwd)

# kubernetes.yaml's documents in turn: 0 the ServiceAccount, 1 plan, 2 encode, 3 assemble.
doc() { envsubst <"$here/kubernetes.yaml" | awk -v want="$1" '/^---$/{n++; next} n==want'; }

doc 0 | kubectl apply -f -
doc 1 | kubectl apply -f -
kubectl wait --for=condition=complete --timeout=30m "job/hlsforge-plan-$RUN"
# The plan's last line on stderr: "plan: SOURCE -> OUTPUT/plan.json: ... in C chunks, N indices"
INDICES=$(kubectl logs "job/hlsforge-plan-$RUN" | sed -n 's/.* \([0-9][0-9]*\) indices$/\1/p' | tail -1)
[ -n "$INDICES" ] || { echo "run-kubernetes: no index count in the plan Job's log" >&2; exit 1; }
echo "run-kubernetes: $INDICES indices, $PARALLELISM at a time"
doc 2 | kubectl apply -f -
kubectl wait --for=condition=complete --timeout=24h "job/hlsforge-encode-$RUN"
doc 3 | kubectl apply -f -
kubectl wait --for=condition=complete --timeout=2h "job/hlsforge-assemble-$RUN"
echo "run-kubernetes: done: $OUTPUT/master.m3u8"
