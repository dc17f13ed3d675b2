#!/usr/bin/env bash
# One chunked encode on AWS Batch with the job definition in aws-batch-job-definition.json
# (register it once: aws batch register-job-definition --cli-input-json file://...).
#
#   installer/cluster/submit-aws-batch.sh s3://media/in/film.mov s3://media/out/film QUEUE [web]
#
# 1. plan here (it only probes the source, through a presigned URL) to learn the index count;
# 2. an array job of that size: each child runs `encode` and reads its index from
#    AWS_BATCH_JOB_ARRAY_INDEX; a failed child is retried with the same index (retryStrategy);
# 3. assemble, which depends on the whole array job (a plain dependency on an array job waits for
#    every child; N_TO_N would pair children of two array jobs and SEQUENTIAL would run the
#    children one after another — neither is wanted here).
# Credentials: here, yours (env or profile); in the jobs, the job role (jobRoleArn) through the
# container credentials endpoint. Nothing is baked into the image or the job definition.
set -euo pipefail
SOURCE=${1:?usage: submit-aws-batch.sh s3://BUCKET/SOURCE s3://BUCKET/PREFIX QUEUE [LADDER]}
OUTPUT=${2:?usage}
QUEUE=${3:?usage}
LADDER=${4:-web}
NAME=hlsforge-$(date +%Y%m%d%H%M%S)
HLSFORGE_CLI=${HLSFORGE_CLI:-hlsforge-cli} # or: docker run --rm -e AWS_... IMAGE

INDICES=$($HLSFORGE_CLI plan "$SOURCE" --ladder "$LADDER" --out "$OUTPUT" --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["indices"])')
echo "submit-aws-batch: $INDICES indices"

if [ "$INDICES" -ge 2 ]; then
  ENCODE=$(aws batch submit-job --job-name "$NAME-encode" --job-queue "$QUEUE" \
    --job-definition hlsforge --array-properties "size=$INDICES" \
    --parameters "plan=$OUTPUT/plan.json" --query jobId --output text)
else # an array job has 2 children at least: one index is a plain job
  ENCODE=$(aws batch submit-job --job-name "$NAME-encode" --job-queue "$QUEUE" \
    --job-definition hlsforge --parameters "plan=$OUTPUT/plan.json" \
    --container-overrides '{"command":["encode","--plan","'"$OUTPUT"'/plan.json","--index","0"]}' \
    --query jobId --output text)
fi
ASSEMBLE=$(aws batch submit-job --job-name "$NAME-assemble" --job-queue "$QUEUE" \
  --job-definition hlsforge --depends-on "jobId=$ENCODE" \
  --container-overrides '{"command":["assemble","--plan","'"$OUTPUT"'/plan.json"]}' \
  --query jobId --output text)
echo "submit-aws-batch: encode $ENCODE (array of $INDICES), assemble $ASSEMBLE"
echo "  aws batch describe-jobs --jobs $ASSEMBLE --query 'jobs[0].status'"
