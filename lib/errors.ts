import type { ZodError } from "zod";

/**
 * A deliberate, user-facing failure. Only these messages cross the boundary to a browser
 * or API client; anything else becomes a generic 500 with a request id.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 415 | 429 | 502,
    readonly code: string,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "Not found") => new AppError(404, "not_found", what);
export const forbidden = (message = "You do not have permission to do this.") => new AppError(403, "forbidden", message);
export const conflict = (message: string, fieldErrors?: Record<string, string[]>) =>
  new AppError(409, "conflict", message, fieldErrors);
export const badRequest = (message: string, fieldErrors?: Record<string, string[]>) =>
  new AppError(400, "invalid_input", message, fieldErrors);
export const unauthorized = (message = "Authentication required.") => new AppError(401, "unauthorized", message);
export const tooManyRequests = (message = "Too many requests. Try again later.") => new AppError(429, "rate_limited", message);

export function fieldErrorsFromZod(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

/** Prisma's unique-constraint violation, without importing the generated runtime here. */
export const isUniqueViolation = (err: unknown) =>
  typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
