import { z } from "zod";
import { conflict } from "../errors";
import { displayName } from "../names";

export const EXPIRY_PRESETS = [
  { value: "7d", label: "7 days", days: 7 },
  { value: "30d", label: "30 days", days: 30 },
  { value: "1y", label: "1 year", days: 365 },
  { value: "custom", label: "Custom date", days: null },
] as const;

const DAY = 86_400_000;

export const keyNameSchema = displayName(1, 64);

/**
 * The unique slot that makes master and sub key names unique in a project, ignoring case
 * (AccessKey.nameSlot). Kept after revocation: a name names one key in the project's history.
 */
export const keyNameSlot = (projectId: string, name: string) => `${projectId}:${name.toLowerCase()}`;
export const keyNameTaken = (name: string) =>
  conflict(`A key named "${name}" already exists in this project.`, { name: ["This name is already used by another key of this project (revoked keys included)."] });

/** Free text on any key; empty means none. */
export const keyDescriptionSchema = z.string().trim().max(500, "Use at most 500 characters.").nullish().transform((v) => v || null);

/**
 * Expiry as the console and API send it: a preset, or "custom" with a date that must be in
 * the future (at most 5 years ahead). Resolved to an absolute Date against `now`.
 */
export const expirySchema = z
  .object({
    expiry: z.enum(["7d", "30d", "1y", "custom"], { error: "Choose an expiry." }).default("30d"),
    expiresAt: z.string().trim().optional(),
  })
  .transform((v, ctx) => {
    const now = Date.now();
    if (v.expiry !== "custom") {
      const days = EXPIRY_PRESETS.find((p) => p.value === v.expiry)!.days!;
      return new Date(now + days * DAY);
    }
    const date = v.expiresAt ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(v.expiresAt) ? `${v.expiresAt}T23:59:59Z` : v.expiresAt) : null;
    if (!date || Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Enter a valid date." });
      return z.NEVER;
    }
    if (date.getTime() <= now) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "The expiry date must be in the future." });
      return z.NEVER;
    }
    if (date.getTime() > now + 5 * 365 * DAY) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Choose a date within 5 years." });
      return z.NEVER;
    }
    return date;
  });

/** A comma/space/newline separated list (form fields) or an array (API). */
export const listField = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : (v ?? "").split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean));
