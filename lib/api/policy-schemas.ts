// Request and response schemas of the organization key policy in the management API
// (GET/PATCH /api/v1/policy); the fields mirror lib/policies/key-policy's keyPolicySchema.
import { z } from "zod";

const policyDays = z.number().int().min(1).max(3650).nullable();
const keyPolicyFields = {
  maxDaysMaster: policyDays.meta({ description: "Maximum lifetime of master keys, in days; null for no limit." }),
  maxDaysSub: policyDays.meta({ description: "Maximum lifetime of sub keys, in days; null for no limit." }),
  maxDaysUser: policyDays.meta({ description: "Maximum lifetime of region key pairs, in days; null: they never expire." }),
  memberPlusMayCreateSub: z.boolean().meta({ description: "Whether Members+ may create sub keys (admins always may)." }),
  subKeysRequireBuckets: z.boolean().meta({ description: "Sub keys must be limited to chosen buckets." }),
  subKeysRequirePrefix: z.boolean().meta({ description: "Sub keys must be limited to an object prefix." }),
  subKeysRequireCidrs: z.boolean().meta({ description: "Sub keys must be limited to source IP ranges." }),
  sharingAllowed: z.boolean().meta({ description: "Whether keys may be shared by email." }),
  maxShareHours: z.number().int().min(1).max(720).nullable().meta({ description: "Longest share-link lifetime in hours; null: the server's limit." }),
  rotationPeriodDays: policyDays.meta({ description: "Keys whose secret is older than this show \"rotation due\"; null for none." }),
};
export const keyPolicyView = z.object(keyPolicyFields).meta({ id: "KeyPolicy", description: "The organization's key policy (defaults when never set)." });
export const updateKeyPolicyRequest = z
  .strictObject(keyPolicyFields)
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Send at least one field to change." })
  .meta({ id: "UpdateKeyPolicyRequest", description: "Only the fields sent change. Existing keys are never changed; those outside the new policy are flagged." });
