import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { fieldErrorsFromZod, isAppError } from "../errors";

/**
 * Streams CSV chunks as they are produced. `pull` asks for the next chunk only when the client
 * has read the previous one, so a slow download holds one batch in memory, never the export.
 */
export function csvStreamResponse(chunks: AsyncGenerator<string>, fileName: string): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (err) {
        // Headers are gone already: all we can do is cut the download short (never a partial "success").
        console.error("[events] CSV export failed:", (err as Error).message);
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^\w.-]/g, "_")}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** Errors of the export handlers in the API's one shape: `{ error: { code, message } }`. */
export function exportErrorResponse(err: unknown): Response {
  if (isAppError(err)) {
    return Response.json({ error: { code: err.code, message: err.message, fieldErrors: err.fieldErrors } }, { status: err.status });
  }
  if (err instanceof ZodError) {
    return Response.json({ error: { code: "invalid_input", message: "Invalid input.", fieldErrors: fieldErrorsFromZod(err) } }, { status: 400 });
  }
  const requestId = randomUUID();
  console.error(`[events ${requestId}]`, err);
  return Response.json({ error: { code: "internal", message: `Something went wrong (request ${requestId}).` } }, { status: 500 });
}
