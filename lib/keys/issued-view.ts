import { listRegions } from "../storage/regions";
import type { IssuedKey } from "./create-keys";

/** What the creation dialog shows: the new secret plus where to use it. */
export function issuedKeyView(k: IssuedKey) {
  const endpoint = listRegions().find((r) => r.id === k.regionId)?.endpoint ?? "";
  return { name: k.name, accessKeyId: k.accessKeyId, secret: k.secret, regionId: k.regionId, endpoint };
}
