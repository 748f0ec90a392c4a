// keygate key import: the pair is stored sealed and marked imported; the secret comes from the
// environment (never an argument) and appears in no output; bad input exits with a clear error.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import { setKeyring, unsealKeySecret } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { parseJson, randomKeyring, runCli, tempDir } from "./cli-harness";
import { createOrgWith, testDb } from "./helpers";

vi.setConfig({ testTimeout: 180_000 });

let env: Record<string, string>;
beforeAll(async () => {
  const keys = randomKeyring();
  setKeyring(parseSealingKeys(keys));
  env = { DATABASE_URL: inject("databaseUrl"), KEYGATE_SEALING_KEYS: keys, KEYGATE_DATA_DIR: await tempDir() };
});

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCLIIMPORTKEY";

describe("keygate key import", () => {
  it("imports a master pair from KEYGATE_IMPORT_SECRET, sealed and marked imported, secret never printed", async () => {
    const { org } = await createOrgWith(["ADMIN"]);
    const project = await testDb().project.create({ data: { orgId: org.id, name: `p-${randomUUID().slice(0, 6)}` } });
    const accessKeyId = `AKIACLI${randomUUID().replace(/-/g, "").slice(0, 13).toUpperCase()}`;
    const r = await runCli(["key", "import", "--project", project.id, "--name", "from-minio", "--kind", "master", "--access-key-id", accessKeyId, "--json"],
      { ...env, KEYGATE_IMPORT_SECRET: SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const out = parseJson<{ id: string; accessKeyId: string; imported: boolean }>(r);
    expect(out).toMatchObject({ accessKeyId, imported: true });
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: out.id } });
    expect([row.kind, row.imported, unsealKeySecret(row)]).toEqual(["MASTER", true, SECRET]);
    expect((await testDb().event.findFirstOrThrow({ where: { keyId: row.id } })).type).toBe("key.imported");

    const again = await runCli(["key", "import", "--project", project.id, "--name", "again", "--kind", "master", "--access-key-id", accessKeyId], { ...env, KEYGATE_IMPORT_SECRET: SECRET });
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining("already used")]);
    const bad = await runCli(["key", "import", "--project", project.id, "--name", "bad", "--kind", "master", "--access-key-id", "lowercase-id"], { ...env, KEYGATE_IMPORT_SECRET: "short" });
    expect(bad.code).toBe(2); // invalid input is a usage error
    expect(bad.stderr).toContain("16 to 128 characters of A-Z and 0-9");
    expect(bad.stderr).toContain("30 to 128 visible ASCII characters");
    expect(bad.stderr).not.toContain("short\n");
    const noSecret = await runCli(["key", "import", "--project", project.id, "--name", "x", "--kind", "master", "--access-key-id", accessKeyId], env);
    expect([noSecret.code, noSecret.stderr]).toEqual([2, expect.stringContaining("--secret-stdin")]);
  });
});
