#!/usr/bin/env bash
# The Getting Started page with grpcurl alone: list, describe, create the
# Hello World workflow from the page's body, execute it, watch it to the end,
# get it, list the workflow's executions, download the audio.
#
#   DATAFLOW_ADDRESS=127.0.0.1:50051 scripts/grpcurl-getting-started.sh
#
# Needs grpcurl on PATH (or GRPCURL=/path/to/grpcurl): `make tools` puts it in
# .tools/bin. tests/clients/test_grpcurl.py runs this script against a live
# server, and docs/clients.md quotes it. Exits 1 unless the execution COMPLETED.
# A server with TLS: DATAFLOW_CA_FILE (and DATAFLOW_CLIENT_CERT_FILE and
# DATAFLOW_CLIENT_KEY_FILE when it requires client certificates); with keys:
# DATAFLOW_API_KEY (tests/clients/test_tls.py runs it so).
set -euo pipefail
ADDR="${DATAFLOW_ADDRESS:-127.0.0.1:50051}"
GRPCURL="${GRPCURL:-grpcurl}"
TEXT="${HELLO_TEXT:-Hello from grpcurl}"
CONN=(-plaintext)
if [ -n "${DATAFLOW_CA_FILE:-}" ]; then CONN=(-cacert "$DATAFLOW_CA_FILE"); fi
if [ -n "${DATAFLOW_CLIENT_CERT_FILE:-}" ]; then
  CONN+=(-cert "$DATAFLOW_CLIENT_CERT_FILE" -key "$DATAFLOW_CLIENT_KEY_FILE")
fi
if [ -n "${DATAFLOW_API_KEY:-}" ]; then
  # grpcurl reads the key from the environment: it never shows in the process list.
  export DATAFLOW_API_KEY
  CONN+=(-expand-headers -H 'authorization: Bearer ${DATAFLOW_API_KEY}')
fi

field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" | head -n 1; }

echo "### list"
"$GRPCURL" "${CONN[@]}" "$ADDR" list

echo "### describe"
"$GRPCURL" "${CONN[@]}" "$ADDR" describe dataflow.v1.WorkflowService

echo "### CreateWorkflow"
created=$("$GRPCURL" "${CONN[@]}" -d @ "$ADDR" dataflow.v1.WorkflowService/CreateWorkflow <<'JSON'
{"workflow": {
  "title": "Hello World Workflow",
  "description": "A simple text-to-speech workflow",
  "inputs": [
    {
      "name": "text",
      "type": "text",
      "description": "Text to convert to speech"
    }
  ],
  "tasks": [
    {
      "name": "text_to_speech",
      "type": "openai.audio.tts",
      "inputs": {
        "text": "{{inputs.text}}",
        "voice": "alloy"
      }
    }
  ],
  "outputs": [
    {
      "name": "audio",
      "type": "file",
      "value": "{{tasks.text_to_speech.outputs.audio}}"
    }
  ]
}}
JSON
)
echo "$created"
WORKFLOW_ID=$(echo "$created" | field workflow_id)

echo "### ExecuteWorkflow"
started=$("$GRPCURL" "${CONN[@]}" -d @ "$ADDR" dataflow.v1.ExecutionService/ExecuteWorkflow <<JSON
{"workflow_id": "$WORKFLOW_ID", "inputs": {"text": "$TEXT"}}
JSON
)
echo "$started"
EXECUTION_ID=$(echo "$started" | field workflow_execution_id)

echo "### WatchExecution"
"$GRPCURL" "${CONN[@]}" -d "{\"workflow_execution_id\": \"$EXECUTION_ID\"}" \
  "$ADDR" dataflow.v1.ExecutionService/WatchExecution

echo "### GetExecution"
execution=$("$GRPCURL" "${CONN[@]}" -d "{\"workflow_execution_id\": \"$EXECUTION_ID\"}" \
  "$ADDR" dataflow.v1.ExecutionService/GetExecution)
echo "$execution"

echo "### ListExecutions"
"$GRPCURL" "${CONN[@]}" -d "{\"workflow_id\": \"$WORKFLOW_ID\"}" \
  "$ADDR" dataflow.v1.ExecutionService/ListExecutions

STATUS=$(echo "$execution" | field status)
if [ "$STATUS" != "COMPLETED" ]; then
  echo "### status: $STATUS"
  exit 1
fi

echo "### DownloadFile"
FILE_ID=$(echo "$execution" | field file_id)
"$GRPCURL" "${CONN[@]}" -d "{\"file_id\": \"$FILE_ID\"}" \
  "$ADDR" dataflow.v1.FileService/DownloadFile

echo "### status: $STATUS"
