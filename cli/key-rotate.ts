// keygate key rotate | end-overlap: a new secret for the same access key id, optionally keeping
// the previous one valid for an overlap window; and ending that window early.
import { endOverlap, overlapMs, overlapOpen, overlapSchema, rotateKey } from "../lib/keys/rotate-key";
import type { Db } from "../lib/db";
import { type Command, CliError, jsonOption, out, stringValue, UsageError } from "./command";
import { withDatabase } from "./context";
import { loadKeyringSource } from "./keyring-source";
import { operatorContext } from "./operator";

async function findKey(db: Db, ref: string) {
  const key = await db.accessKey.findFirst({
    where: { OR: [{ id: ref }, { accessKeyId: ref }] },
    select: { id: true, orgId: true, accessKeyId: true, name: true, previousSecretUntil: true, previousSecretLast4: true },
  });
  if (!key) throw new CliError(`Key ${ref} not found.`);
  return key;
}

export const keyRotateCommand: Command = {
  name: "key rotate",
  usage: "<key id | access key id> [--overlap none|1h|24h|7d] [--json]",
  summary: "Issue a new secret for a key (same access key id) and print it once.",
  description: `
Works for active master, sub and region keys. Without --overlap the old secret stops working at
once. With --overlap it keeps working for that long (never beyond the key's expiry), so running
clients can move to the new secret; S3 request events say which secret signed each request.
Rotating again while a window is open ends that window first. End it early with
\`keygate key end-overlap\`. The new secret access key is shown only in this output.`,
  options: {
    overlap: { type: "string", value: "none|1h|24h|7d", description: "How long the old secret keeps working (default: none)" },
    json: jsonOption,
  },
  positionals: { min: 1, max: 1 },
  examples: ["keygate key rotate KGABCDEFGHIJKLMNOPQR", "keygate key rotate KGABCDEFGHIJKLMNOPQR --overlap 24h --json"],
  run: ({ values, positionals }) => {
    const parsed = overlapSchema.safeParse(stringValue(values, "overlap")?.trim());
    if (!parsed.success) throw new UsageError("--overlap must be none, 1h, 24h or 7d.");
    const ref = positionals[0].trim();
    return withDatabase(async ({ env, db }) => {
      await loadKeyringSource(env, { create: false });
      const key = await findKey(db, ref);
      const issued = await rotateKey(db, operatorContext(key.orgId), key.id, { overlapMs: overlapMs(parsed.data) });
      const after = await db.accessKey.findUniqueOrThrow({ where: { id: key.id }, select: { previousSecretUntil: true } });
      const previousValidUntil = after.previousSecretUntil?.toISOString() ?? null;
      const result = { id: issued.id, accessKeyId: issued.accessKeyId, name: issued.name, secret: issued.secret, previousValidUntil };
      if (values.json) return out.json(result);
      out.line(`Rotated key ${issued.accessKeyId} ("${issued.name}").`);
      out.line(`  Secret access key:  ${issued.secret}`);
      out.line(`  Previous secret:    ${previousValidUntil ? `valid until ${previousValidUntil}` : "no longer works"}`);
      out.note("The secret is shown only this once: store it now.");
    });
  },
};

export const keyEndOverlapCommand: Command = {
  name: "key end-overlap",
  usage: "<key id | access key id> [--json]",
  summary: "Stop the previous secret of a rotated key now and destroy it.",
  description: `
Ends the rotation overlap window: the previous secret is refused from the next request on. A key
without an open window is left as it is (and the command succeeds).`,
  options: { json: jsonOption },
  positionals: { min: 1, max: 1 },
  examples: ["keygate key end-overlap KGABCDEFGHIJKLMNOPQR"],
  run: ({ values, positionals }) => {
    const ref = positionals[0].trim();
    return withDatabase(async ({ db }) => {
      const key = await findKey(db, ref);
      const wasOpen = overlapOpen(key);
      await endOverlap(db, operatorContext(key.orgId), key.id);
      const result = { id: key.id, accessKeyId: key.accessKeyId, name: key.name, ended: wasOpen };
      if (values.json) return out.json(result);
      out.line(wasOpen
        ? `Ended the overlap of key ${key.accessKeyId} ("${key.name}"): the previous secret ••••${key.previousSecretLast4} no longer works.`
        : `Key ${key.accessKeyId} ("${key.name}") has no open overlap window; nothing changed.`);
    });
  },
};
