/**
 * The result every server action returns to the browser. Failures carry a user-facing
 * message and, for form validation, per-field messages keyed by input name.
 */
export type ActionResult<T = unknown> =
  | { ok: true; data?: T; message?: string }
  | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

/** Initial state for `useActionState`: nothing happened yet (no message, no error). */
export const initialActionResult: ActionResult<never> = Object.freeze({ ok: true as const });

/** Field errors of a failed result for one input name (undefined when none). */
export function fieldErrorsOf(result: ActionResult<unknown> | null | undefined, name: string): string[] | undefined {
  return result && !result.ok ? result.fieldErrors?.[name] : undefined;
}
