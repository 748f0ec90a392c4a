import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { ZodError } from "zod";
import type { ActionResult } from "./action-result";
import { isDatabaseUnavailable } from "./db-errors";
import { fieldErrorsFromZod, isAppError } from "./errors";

/** What a form shows when PostgreSQL cannot be reached: the form keeps its input for a retry. */
export const DATABASE_UNAVAILABLE_MESSAGE = "The database is unavailable right now. Try again in a few seconds.";

/**
 * Runs the body of a server action and maps failures to an ActionResult. Only deliberate
 * AppError messages and zod field errors reach the browser; anything else is logged with a
 * reference id and answered generically.
 */
export async function runAction<T>(body: () => Promise<T>, message?: string): Promise<ActionResult<T>> {
  try {
    const data = await body();
    return { ok: true, data, message };
  } catch (err) {
    unstable_rethrow(err); // redirect(), notFound() and forbidden() keep working inside actions
    if (err instanceof ZodError) {
      return { ok: false, error: "Please correct the highlighted fields.", fieldErrors: fieldErrorsFromZod(err) };
    }
    if (isAppError(err)) return { ok: false, error: err.message, fieldErrors: err.fieldErrors };
    if (isDatabaseUnavailable(err)) {
      console.error("[action] database unavailable");
      return { ok: false, error: DATABASE_UNAVAILABLE_MESSAGE };
    }
    const ref = randomUUID().slice(0, 8);
    console.error(`[action ${ref}]`, err instanceof Error ? err.stack : err);
    return { ok: false, error: `Something went wrong (reference ${ref}).` };
  }
}

/** FormData to a plain object for zod (repeated names become arrays). */
export function formToObject(form: FormData): Record<string, FormDataEntryValue | FormDataEntryValue[]> {
  const out: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const all = form.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}
