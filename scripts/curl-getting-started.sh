#!/usr/bin/env bash
# The Getting Started page with curl alone, over the HTTP API: create the Hello
# World workflow from the page's body, execute it (and see the page's own
# execution body refused with 400), follow it as server-sent events to the end,
# get it, list the workflow's executions, execute with a webhook, download the audio.
#
#   DATAFLOW_HTTP=http://127.0.0.1:8080 scripts/curl-getting-started.sh
#
# tests/http/test_curl_script.py runs this script against a live server, and the
# README quotes it. Exits 1 unless the execution COMPLETED.
# A server with TLS: DATAFLOW_HTTP=https://…, DATAFLOW_CA_FILE (and
# DATAFLOW_CLIENT_CERT_FILE and DATAFLOW_CLIENT_KEY_FILE when it requires client
# certificates); with keys: DATAFLOW_API_KEY (tests/clients/test_tls.py runs it so).
set -euo pipefail
BASE="${DATAFLOW_HTTP:-http://127.0.0.1:8080}"
TEXT="${HELLO_TEXT:-Hello from curl}"
WEBHOOK="${WEBHOOK_URL:-https://example.com/webhook}"
AUDIO="${AUDIO_OUT:-hello.mp3}"
JSON=(-H 'Content-Type: application/json')
CURL=(curl -sS)
if [ -n "${DATAFLOW_CA_FILE:-}" ]; then CURL+=(--cacert "$DATAFLOW_CA_FILE"); fi
if [ -n "${DATAFLOW_CLIENT_CERT_FILE:-}" ]; then
  CURL+=(--cert "$DATAFLOW_CLIENT_CERT_FILE" --key "$DATAFLOW_CLIENT_KEY_FILE")
fi
if [ -n "${DATAFLOW_API_KEY:-}" ]; then
  # The key goes in a header file only we can read, never on a command line (ps shows those).
  AUTH=$(mktemp)
  trap 'rm -f "$AUTH"' EXIT
  printf 'Authorization: Bearer %s\n' "$DATAFLOW_API_KEY" >"$AUTH"
  CURL+=(-H "@$AUTH")
fi

# The first "name": "value" of a JSON document (the top-level one in our answers).
field() { grep -o "\"$1\": *\"[^\"]*\"" | head -n 1 | sed 's/.*: *"\(.*\)"/\1/'; }

echo "### 1. POST /workflows"
created=$("${CURL[@]}" --fail-with-body -i -X POST "$BASE/workflows" "${JSON[@]}" -d @- <<'JSON'
{
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
}
JSON
)
echo "$created"
WORKFLOW_ID=$(echo "$created" | field workflow_id)

echo "### 2. POST /workflows/$WORKFLOW_ID/executions"
started=$("${CURL[@]}" --fail-with-body -X POST "$BASE/workflows/$WORKFLOW_ID/executions" \
  "${JSON[@]}" -d "{\"inputs\": {\"text\": \"$TEXT\"}}")
echo "$started"
EXECUTION_ID=$(echo "$started" | field workflow_execution_id)
EXECUTION="$BASE/workflows/$WORKFLOW_ID/executions/$EXECUTION_ID"

echo "### 2. invalid inputs: 400 Bad Request"
"${CURL[@]}" -w '\n' -X POST "$BASE/workflows/$WORKFLOW_ID/executions" "${JSON[@]}" -d @- <<'JSON'
{
  "inputs": {
    "webpage_url": "https://example.com"
  }
}
JSON

echo "### 3. GET .../events (server-sent events, until the execution ends)"
"${CURL[@]}" --fail-with-body -N "$EXECUTION/events"

echo "### 3. GET $EXECUTION"
execution=$("${CURL[@]}" --fail-with-body "$EXECUTION")
echo "$execution"

echo "### 4. GET /workflows/$WORKFLOW_ID/executions"
"${CURL[@]}" --fail-with-body -w '\n' "$BASE/workflows/$WORKFLOW_ID/executions"

echo "### 5. POST /workflows/$WORKFLOW_ID/executions with a webhook"
"${CURL[@]}" --fail-with-body -w '\n' -X POST "$BASE/workflows/$WORKFLOW_ID/executions" \
  "${JSON[@]}" -d @- <<JSON
{
  "inputs": {
    "text": "$TEXT"
  },
  "monitoring": {
    "webhook": "$WEBHOOK"
  }
}
JSON

STATUS=$(echo "$execution" | field status)
if [ "$STATUS" != "COMPLETED" ]; then
  echo "### status: $STATUS"
  exit 1
fi

echo "### GET /files/…/content"
FILE_ID=$(echo "$execution" | field file_id)
"${CURL[@]}" --fail-with-body -o "$AUDIO" -w '%{http_code} %{content_type} %{size_download} bytes\n' \
  "$BASE/files/$FILE_ID/content"

echo "### status: $STATUS"
