// Rotation reminder emails (organization key policy "Rotation period"): one per period to the
// owner of each working key whose secret is older than the period, recorded on the key and as
// an event, never containing the secret. The short period is simulated by running the job with
// a later `now`, through the lib function the scheduler calls.
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { OrgContext } from "../../lib/auth/context";
import { createDb } from "../../lib/db";
import type { EmailTransport, OutgoingEmail } from "../../lib/email/transport";
import { createSubKey } from "../../lib/keys/create-keys";
import { setKeyDisabled } from "../../lib/keys/disable-key";
import { setKeyring } from "../../lib/keys/keyring";
import { revokeKey } from "../../lib/keys/manage-keys";
import { rotateKey } from "../../lib/keys/rotate-key";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { sendRotationReminders } from "../../lib/jobs/rotation-reminders";
import { runJobsOnce } from "../../lib/jobs/run-jobs";
import { DEFAULT_KEY_POLICY, updateKeyPolicy } from "../../lib/policies/key-policy";
import { apiSetup } from "./api-fixtures";
import { randomKeyring } from "./cli-harness";
import { DAY } from "./events-fixtures";
import { testDb } from "./helpers";

beforeAll(() => setKeyring(parseSealingKeys(randomKeyring())));

function capture(fail = () => false) {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    kind: "outbox",
    async send(email) {
      await new Promise((r) => setTimeout(r, 5)); // let racing runners interleave
      if (fail()) throw new Error("mailer down");
      sent.push(email);
      return { id: String(sent.length), transport: "outbox" };
    },
  };
  return { sent, deps: { transport, publicUrl: "https://keygate.example.com", log: () => {} } };
}

async function world(periodDays: number | null = 1) {
  const s = await apiSetup(); // org with ADMIN and MEMBER_PLUS, a project and the admin's master key
  if (periodDays !== null) await updateKeyPolicy(testDb(), s.admin, { ...DEFAULT_KEY_POLICY, rotationPeriodDays: periodDays });
  const plus = s.members.MEMBER_PLUS as OrgContext;
  let n = 0;
  const key = (ctx: OrgContext) => createSubKey(testDb(), ctx, { projectId: s.project.id, name: `k-${++n}`, regionId: "local", permissions: ["read"], expiry: "1y" });
  return { ...s, plus, key };
}
/** The emails about one key (its page's URL is in the email). */
const mine = (sent: OutgoingEmail[], key: { id: string }) => sent.filter((e) => e.text.includes(`/keys/${key.id}`));

describe("rotation reminders", () => {
  it("once per rotation period to the owner of each working key past the period, with an event and no secret", async () => {
    const w = await world(1);
    const due = await w.key(w.plus);
    const disabled = await w.key(w.admin);
    await setKeyDisabled(testDb(), w.admin, disabled.id, true);
    const revoked = await w.key(w.admin);
    await revokeKey(testDb(), w.admin, revoked.id);
    const t0 = Date.now();

    // Within the period: nothing.
    const early = capture();
    await sendRotationReminders(testDb(), early.deps, new Date(t0 + 0.5 * DAY));
    expect(mine(early.sent, due)).toEqual([]);

    // Past it: one email to the owner (MEMBER_PLUS), for the active key only.
    const first = capture();
    const at1 = new Date(t0 + 1.1 * DAY);
    await sendRotationReminders(testDb(), first.deps, at1);
    const [email, ...more] = mine(first.sent, due);
    expect(more).toEqual([]);
    expect(email).toMatchObject({ to: w.plus.actor.email.toLowerCase(), tag: "rotation-reminder", subject: `Access key "${due.name}" is due for rotation` });
    expect(email.text).toContain(`/orgs/${w.org.id}/keys/${due.id}`);
    expect(email.text).toContain("rotation period of 1 day");
    for (const body of [email.text, email.html]) expect(body).not.toContain(due.secret);
    for (const k of [disabled, revoked]) expect(mine(first.sent, k)).toEqual([]);
    expect(mine(first.sent, w.master)).toHaveLength(1); // the admin's master key, made with the organization, is due too
    const events = await testDb().event.findMany({ where: { keyId: due.id, type: "key.rotation_reminder_sent" } });
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ recipientEmail: w.plus.actor.email.toLowerCase(), periodDays: 1 });
    expect(JSON.stringify(events[0].data)).not.toContain(due.secret);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: due.id } })).rotationReminderSentAt).toEqual(at1);

    // Later runs (any process: the record is in the database) send nothing until another period has passed.
    const again = capture();
    await sendRotationReminders(createDb(inject("databaseUrl"), 2), again.deps, new Date(t0 + 1.9 * DAY));
    expect(mine(again.sent, due)).toEqual([]);
    const next = capture();
    await sendRotationReminders(testDb(), next.deps, new Date(t0 + 2.2 * DAY));
    expect(mine(next.sent, due)).toHaveLength(1);

    // Rotating resets the clock: the new secret must age a full period first.
    await rotateKey(testDb(), w.plus, due.id);
    // In the test's simulated time the rotation happens after the reminders above.
    const rotatedAt = t0 + 2.3 * DAY;
    await testDb().accessKey.update({ where: { id: due.id }, data: { rotatedAt: new Date(rotatedAt) } });
    const fresh = capture();
    await sendRotationReminders(testDb(), fresh.deps, new Date(rotatedAt + 0.9 * DAY));
    expect(mine(fresh.sent, due)).toEqual([]);
    await sendRotationReminders(testDb(), fresh.deps, new Date(rotatedAt + 1.1 * DAY));
    expect(mine(fresh.sent, due)).toHaveLength(1);
  });

  it("nothing without a rotation period; a failed send is retried by the next run; racing runners send once; runJobsOnce runs it", async () => {
    const none = await world(null);
    const unpoliced = await none.key(none.admin);
    const w = await world(2);
    const key = await w.key(w.admin);
    const later = new Date(Date.now() + 3 * DAY);

    const down = capture(() => true);
    await sendRotationReminders(testDb(), down.deps, later);
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } })).rotationReminderSentAt).toBeNull();

    const up = capture();
    const runners = [testDb(), createDb(inject("databaseUrl"), 2), createDb(inject("databaseUrl"), 2)];
    await Promise.all(runners.map((db) => sendRotationReminders(db, up.deps, later, 1)));
    expect(mine(up.sent, key)).toHaveLength(1);
    expect(mine(up.sent, unpoliced)).toEqual([]);
    expect(await testDb().event.count({ where: { keyId: key.id, type: "key.rotation_reminder_sent" } })).toBe(1);

    const viaJobs = await world(1);
    const k = await viaJobs.key(viaJobs.plus);
    const jobs = capture();
    const result = await runJobsOnce(testDb(), new Date(Date.now() + 1.5 * DAY), { ...jobs.deps, retentionDays: 3650 });
    expect(result.rotationReminders).toBeGreaterThanOrEqual(1);
    expect(mine(jobs.sent, k)).toHaveLength(1);
  });
});
