#!/usr/bin/env bash
# Headless bootstrap, as an operator automating Keygate would do it: no browser, no email.
#   1. the CLI creates an organization with its admin, a project, a bucket and a master key;
#   2. the CLI creates an organization API token;
#   3. with that token, the management API creates a second project, a bucket and a master key;
#   4. the AWS SDK uploads (and reads back) an object with that master key through the gateway.
# Needs a running Keygate (`npm start`) on KEYGATE_DATA_DIR, its web URL in KEYGATE_WEB_URL; run
# from the repository root. Run by tests/integration/headless-bootstrap.test.ts. Secrets and
# the token are never printed.
set -euo pipefail

: "${KEYGATE_DATA_DIR:?KEYGATE_DATA_DIR: the data directory of the running Keygate}"
: "${KEYGATE_WEB_URL:?KEYGATE_WEB_URL: the web console / API base URL, e.g. http://localhost:3000}"
ADMIN_EMAIL="${ADMIN_EMAIL:-admin@headless.test}"

kg() { node bin/keygate.mjs "$@"; }
# field <path> reads one value of the JSON document on stdin, e.g. field organization.id
field() { node -e 'let v = JSON.parse(require("fs").readFileSync(0, "utf8")); for (const k of process.argv[1].split(".")) v = v[k]; if (v === undefined || v === null) process.exit(3); process.stdout.write(String(v));' "$1"; }
# api <method> <path> [json body]: the management API with the organization API token; fails on HTTP errors.
api() { curl -sS --fail-with-body -X "$1" "$KEYGATE_WEB_URL$2" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" ${3:+-d "$3"}; }

echo "== CLI: organization, admin, project, bucket, master key"
ORG=$(kg org create --name "Headless Inc" --admin-email "$ADMIN_EMAIL" --json)
ORG_ID=$(field organization.id <<<"$ORG")
echo "organization $ORG_ID, admin $(field admin.email <<<"$ORG")"
P1=$(kg project create --org "$ORG_ID" --name first --json | field id)
echo "project first: $P1"
B1=$(kg bucket create --project "$P1" --name headless-first --json | field name)
echo "bucket: $B1"
K1=$(kg key create --project "$P1" --name first-master --kind master --json)
echo "master key (CLI): $(field accessKeyId <<<"$K1")"

echo "== CLI: organization API token"
TOKEN=$(kg token create --org "$ORG_ID" --name bootstrap --expiry 7d --json | field token)
echo "token created (…${TOKEN: -4})"

echo "== API with the token: second project, bucket, master key"
P2=$(api POST /api/v1/projects '{"name":"second"}' | field id)
echo "project second: $P2"
B2=$(api POST "/api/v1/projects/$P2/buckets" '{"name":"headless-second"}' | field name)
echo "bucket: $B2"
K2=$(api POST "/api/v1/projects/$P2/master-keys" '{"name":"deployer","expiry":"7d"}')
AK2=$(field key.accessKeyId <<<"$K2")
echo "master key (API): $AK2"
api GET /api/v1/projects | node -e 'const p = JSON.parse(require("fs").readFileSync(0, "utf8")).projects.map((x) => x.name).join(","); if (p !== "first,second") { console.error(`projects: ${p}`); process.exit(1); } console.log(`projects: ${p}`);'

echo "== AWS SDK with the API's master key: upload and read back"
S3_ENDPOINT=$(field endpoint <<<"$K2") S3_KEY_ID="$AK2" S3_SECRET=$(field secret <<<"$K2") S3_BUCKET="$B2" node --input-type=module -e '
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
const s3 = new S3Client({ endpoint: process.env.S3_ENDPOINT, region: "us-east-1", forcePathStyle: true, maxAttempts: 1,
  credentials: { accessKeyId: process.env.S3_KEY_ID, secretAccessKey: process.env.S3_SECRET } });
const Bucket = process.env.S3_BUCKET, Key = "hello/headless.txt", Body = "uploaded without a browser";
const put = await s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: "text/plain" }));
const got = await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body.transformToString();
if (got !== Body) throw new Error(`read back ${JSON.stringify(got)}`);
console.log(`uploaded s3://${Bucket}/${Key} (ETag ${put.ETag}) and read it back`);
'
echo "HEADLESS BOOTSTRAP OK"
