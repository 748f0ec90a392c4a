// The aws CLI commands people copy: the creation dialog's two snippets and docs/clients.md's aws
// CLI blocks, run as written (a shell, a private HOME) against a real gateway, with the example
// values replaced by a real key, endpoint and bucket.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientSnippets } from "../../components/keys/issued-key-dialog";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { clientEnv, ensureTools, removeClientHomes, run } from "./cli-tools";
import { type Gateway, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const tools = ensureTools(["aws"]);

let gw: Gateway;
let bucket: string;
let key: IssuedKey;
let home: string;

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, ["snippets"]);
  [bucket] = seeded.buckets;
  key = await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "Docs Key", regionId: "local" });
  home = clientEnv(gw.url, key).home;
});
afterAll(async () => {
  await gw?.stop();
  removeClientHomes();
});

/** A shell with nothing of the test's client setup: only a private HOME and the given script. */
async function sh(script: string) {
  const env = { PATH: process.env.PATH ?? "", HOME: home, AWS_PAGER: "", AWS_EC2_METADATA_DISABLED: "true", AWS_MAX_ATTEMPTS: "1" };
  const r = await run(["sh", "-ec", script], { env, cwd: home });
  expect(r.code, `${script}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

const fromDocs = (block: string) =>
  block.replaceAll("KG...", key.accessKeyId).replaceAll("kgs_...", key.secret).replaceAll("http://localhost:9000", gw.url).replaceAll("my-bucket", bucket);

describe.skipIf(!tools.aws)("copied aws CLI snippets", () => {
  it("the creation dialog's profile and environment snippets list the key's bucket", async () => {
    const { awsCli, envVars } = clientSnippets({ name: key.name, accessKeyId: key.accessKeyId, secret: key.secret, regionId: "local", endpoint: gw.url });
    expect(await sh(awsCli)).toContain(bucket);
    expect(await sh(`${envVars}\naws s3 ls`)).toContain(bucket);
  }, 120_000);

  it("docs/clients.md's aws CLI blocks, as written", async () => {
    const docs = readFileSync("docs/clients.md", "utf8");
    const section = docs.slice(docs.indexOf("## aws CLI"), docs.indexOf("## rclone"));
    const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => fromDocs(m[1]));
    expect(blocks).toHaveLength(2);
    await sh("mkdir -p site && echo page > site/index.html && echo jpeg > photo.jpg");
    const out = await sh(blocks[0]);
    expect(out).toContain(bucket);
    expect(out).toContain('"Key": "photos/photo.jpg"');
    expect(await sh(blocks[1])).toContain(bucket);
  }, 180_000);
});
