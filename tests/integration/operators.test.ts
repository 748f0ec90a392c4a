import { describe, expect, it } from "vitest";
import { listOrganizationsOverview } from "../../lib/operators";
import { createProject, DAY, eventWorld, insertKey } from "./events-fixtures";
import { testDb } from "./helpers";

describe("operator overview", () => {
  it("counts keys by derived status: a disabled key is not active, an expired or revoked one is neither", async () => {
    const w = await eventWorld(); // four active keys
    const p = await createProject(w.org.id);
    const owner = w.admin.actor.userId;
    const disabled = await insertKey({ orgId: w.org.id, projectId: p.id, ownerId: owner });
    await testDb().accessKey.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const disabledThenExpired = await insertKey({ orgId: w.org.id, projectId: p.id, ownerId: owner, expiresAt: new Date(Date.now() - DAY) });
    await testDb().accessKey.update({ where: { id: disabledThenExpired.id }, data: { disabledAt: new Date(Date.now() - 2 * DAY) } });
    await insertKey({ orgId: w.org.id, projectId: p.id, ownerId: owner, revokedAt: new Date() });

    const row = (await listOrganizationsOverview(testDb())).find((o) => o.id === w.org.id)!;
    expect({ active: row.active, disabled: row.disabled, expired: row.expired, revoked: row.revoked }).toEqual({ active: 4, disabled: 1, expired: 1, revoked: 1 });
  });
});
