// Locks are taken in one order, project before key, so a project deletion and a key change
// never deadlock (PostgreSQL would abort one of them with a 500).
import { beforeAll, expect, it } from "vitest";
import { lockKey } from "../../lib/keys/manage-keys";
import { createRegionKey, resetRegionKey } from "../../lib/keys/region-keys";
import { lockProject } from "../../lib/projects/projects";
import { apiSetup, useTestKeyring } from "./api-fixtures";
import { testDb } from "./helpers";

beforeAll(useTestKeyring);

it("a region key pair reset waits for a project deletion in progress instead of deadlocking with it", async () => {
  const { members, project } = await apiSetup();
  const member = members.MEMBER_PLUS;
  const pair = await createRegionKey(testDb(), member, project.id, "local");
  let reset: Promise<unknown> | undefined;
  // What deleteProject does: the project row FOR UPDATE, then (deleting it) the rows of its keys.
  // This one rolls back at the end, so the reset can go on afterwards.
  const deletion = testDb().$transaction(async (tx) => {
    await lockProject(tx, project.id, "update");
    reset = resetRegionKey(testDb(), member, project.id, "local").then(() => "reset", (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 500)); // the reset reaches its first lock meanwhile
    await lockKey(tx, pair.id);
    throw new Error("rolled back");
  }, { timeout: 10_000 }).catch((e: Error) => e.message);
  expect(await deletion).toBe("rolled back");
  expect(await reset).toBe("reset");
  expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: pair.id } })).revokedAt).not.toBeNull();
});
