import { getOrgContext } from "@/lib/auth/context";
import { getCurrentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { unauthorized } from "@/lib/errors";
import { exportErrorResponse } from "@/lib/events/export-response";
import { getCredentialReport } from "@/lib/reports/credential-report";
import { credentialReportCsv, credentialReportFileName } from "@/lib/reports/credential-report-table";

export const dynamic = "force-dynamic";

/** The credential report as CSV, with the page's filters (query string) and the page's cells. */
export async function GET(req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  try {
    const actor = await getCurrentActor();
    if (!actor) throw unauthorized();
    const db = getDb();
    const ctx = await getOrgContext(db, actor, orgId);
    const report = await getCredentialReport(db, ctx, Object.fromEntries(new URL(req.url).searchParams));
    return new Response(credentialReportCsv(report), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${credentialReportFileName(report.generatedAt)}"`,
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (err) {
    return exportErrorResponse(err);
  }
}
