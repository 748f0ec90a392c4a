import type { OrgContext } from "../auth/context";
import type { Db, Tx } from "../db";
import { AppError } from "../errors";
import { writeEvent } from "../events/write-event";
import { keyDescriptionSchema } from "./key-input";
import { getManagedKeyOrThrow } from "./manage-keys";

/**
 * Sets the free-text description of any key the caller manages (empty clears it). Allowed on
 * revoked and expired keys too: a note about why a key died is still useful. Not a gateway
 * concern, so no cache notification.
 */
export async function updateKeyDescription(db: Db, ctx: OrgContext, keyId: string, input: unknown): Promise<void> {
  await db.$transaction((tx) => updateKeyDescriptionInTx(tx, ctx, keyId, input));
}

/** updateKeyDescription inside the caller's transaction (the API's PATCH applies several changes as one). */
export async function updateKeyDescriptionInTx(tx: Tx, ctx: OrgContext, keyId: string, input: unknown): Promise<void> {
  const parsed = keyDescriptionSchema.safeParse(input);
  if (!parsed.success) throw new AppError(400, "invalid_input", "Check the description.", { description: parsed.error.issues.map((i) => i.message) });
  const description = parsed.data;
  const key = await getManagedKeyOrThrow(tx, ctx, keyId, { lock: true });
  if (key.description === description) return;
  await tx.accessKey.update({ where: { id: key.id }, data: { description } });
  await writeEvent(tx, {
    type: "key.updated", orgId: ctx.orgId, projectId: key.projectId, keyId: key.id, accessKeyId: key.accessKeyId, actor: ctx.actor,
    data: { changes: { description: { from: key.description, to: description } } },
  });
}
