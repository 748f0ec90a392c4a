import { z } from "zod";

// Control, format (bidi overrides, zero-width), private-use and unassigned characters, and line
// separators: invisible or misleading in lists and events. The zero-width joiner is allowed
// because emoji sequences need it.
const HIDDEN = /(?!\u200D)[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

/**
 * The one rule for names people type (organizations, projects, keys): any visible text,
 * emoji included, trimmed, within a length range.
 */
export const displayName = (min: number, max: number) =>
  z.string().trim()
    .min(min, min === 1 ? "Enter a name." : `Use at least ${min} characters.`)
    .max(max, `Use at most ${max} characters.`)
    .refine((s) => !HIDDEN.test(s), "Use visible characters only (no control or formatting characters).");
