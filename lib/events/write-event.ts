import type { Actor } from "../auth/context";
import type { Tx } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { EventType } from "./types";

export type ManagementEvent = {
  type: EventType;
  orgId: string;
  projectId?: string | null;
  keyId?: string | null;
  accessKeyId?: string | null;
  actor: Actor | null;
  /** Request origin when there is no signed-in actor (e.g. a share link's recipient); else the actor's. */
  ip?: string | null;
  userAgent?: string | null;
  data?: Prisma.InputJsonValue;
};

/** Writes a management event; call it with the transaction that makes the change. */
export async function writeEvent(tx: Tx, event: ManagementEvent): Promise<void> {
  await tx.event.create({
    data: {
      type: event.type,
      orgId: event.orgId,
      projectId: event.projectId ?? null,
      keyId: event.keyId ?? null,
      accessKeyId: event.accessKeyId ?? null,
      actorId: event.actor?.userId ?? null,
      actorName: event.actor?.name ?? null,
      actorEmail: event.actor?.email ?? null,
      ip: event.ip ?? event.actor?.ip ?? null,
      userAgent: event.userAgent ?? event.actor?.userAgent ?? null,
      outcome: "allowed",
      data: event.data,
    },
  });
}
